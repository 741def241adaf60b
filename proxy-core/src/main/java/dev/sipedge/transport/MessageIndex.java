package dev.sipedge.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One scan of a framed message's header block: where the start line ends and where each header
 * line's name and value are (RFC 3261 §7.3.1: a name, optional whitespace, a colon, the value; a
 * line that starts with a space or tab continues the value before it). Positions only, four ints
 * a header; a value becomes a {@code String} when asked for. This is what the transport reads
 * before anything is parsed: the Call-ID that picks the call's owner.
 *
 * <p>Lenient like a proxy must be: a line without a colon is skipped (the full parser judges it),
 * and only a header block with more than {@value #MAX_HEADERS} lines is refused, which bounds the
 * work and the memory one message can cost.
 */
public final class MessageIndex {
    static final int MAX_HEADERS = 256;
    private static final int NAME_START = 0;
    private static final int NAME_END = 1;
    private static final int VALUE_START = 2;
    private static final int VALUE_END = 3;
    private static final int SLOTS = 4;
    /** Room for this many header lines before the array grows: SIPp's and most phones' messages fit. */
    private static final int INITIAL_HEADERS = 16;

    /** What indexing gave: the index, or why there is none. */
    public sealed interface Outcome permits Indexed, NotIndexable {
    }

    public record Indexed(MessageIndex index) implements Outcome {
    }

    public record NotIndexable(String reason) implements Outcome {
    }

    private final byte[] bytes;
    private final int startLineEnd;
    private final int[] positions;
    private final int count;

    private MessageIndex(byte[] bytes, int startLineEnd, int[] positions, int count) {
        this.bytes = bytes;
        this.startLineEnd = startLineEnd;
        this.positions = positions;
        this.count = count;
    }

    /** Indexes {@code bytes[0, headerLength)}: the start line and the header lines (the framer found their end). */
    public static Outcome of(byte[] bytes, int headerLength) {
        int end = Math.max(0, Math.min(headerLength, bytes.length));
        int startLineEnd = lineEnd(bytes, 0, end);
        int[] positions = new int[SLOTS * INITIAL_HEADERS];
        int count = 0;
        int pos = next(bytes, startLineEnd, end);
        while (pos < end) {
            int eol = lineEnd(bytes, pos, end);
            if (bytes[pos] == ' ' || bytes[pos] == '\t') {
                int contentEnd = trimEnd(bytes, pos, eol);
                if (count > 0 && contentEnd > pos) {
                    positions[(count - 1) * SLOTS + VALUE_END] = contentEnd;   // folded: the value goes on
                }
            } else if (eol > pos) {
                int colon = indexOf(bytes, pos, eol, (byte) ':');
                if (colon > pos) {
                    if (count == MAX_HEADERS) {
                        return new NotIndexable("more than " + MAX_HEADERS + " header lines");
                    }
                    if ((count + 1) * SLOTS > positions.length) {
                        positions = Arrays.copyOf(positions, positions.length * 2);
                    }
                    int at = count * SLOTS;
                    positions[at + NAME_START] = pos;
                    positions[at + NAME_END] = trimEnd(bytes, pos, colon);
                    positions[at + VALUE_START] = colon + 1;
                    positions[at + VALUE_END] = trimEnd(bytes, colon + 1, eol);
                    count++;
                }
            }
            pos = next(bytes, eol, end);
        }
        return new Indexed(new MessageIndex(bytes, startLineEnd, positions, count));
    }

    /** The start line, without its line end. */
    public String startLine() {
        return new String(bytes, 0, startLineEnd, StandardCharsets.UTF_8);
    }

    /** Number of header lines (a folded header counts once). */
    public int headerCount() {
        return count;
    }

    /** The name of header line {@code i} as written (compact or long form). */
    public String name(int i) {
        int at = check(i);
        return new String(bytes, positions[at + NAME_START], positions[at + NAME_END] - positions[at + NAME_START],
                StandardCharsets.US_ASCII);
    }

    /** The value of header line {@code i}: unfolded (a line break and its whitespace become one space) and trimmed. */
    public String value(int i) {
        int at = check(i);
        return unfolded(positions[at + VALUE_START], positions[at + VALUE_END]);
    }

    /** True when header line {@code i} is named {@code header} in its long or compact form (§7.3.3). */
    public boolean is(int i, SipHeaderName header) {
        int at = check(i);
        return header.matches(bytes, positions[at + NAME_START], positions[at + NAME_END]);
    }

    /** Lines named {@code header}. */
    public int count(SipHeaderName header) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (is(i, header)) {
                n++;
            }
        }
        return n;
    }

    /** The value of the first line named {@code header}; null when there is none. */
    public String first(SipHeaderName header) {
        for (int i = 0; i < count; i++) {
            if (is(i, header)) {
                return value(i);
            }
        }
        return null;
    }

    /** The Call-ID; null when the message has none or an empty one. */
    public String callId() {
        String value = first(SipHeaderName.CALL_ID);
        return value == null || value.isEmpty() ? null : value;
    }

    private int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("header " + i + " of " + count);
        }
        return i * SLOTS;
    }

    private String unfolded(int from, int to) {
        int a = from;
        while (a < to && (isWhitespace(bytes[a]) || bytes[a] == '\r' || bytes[a] == '\n')) {
            a++;   // a value may start on a folded line
        }
        StringBuilder out = null;
        int copied = a;
        for (int i = a; i < to; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                if (out == null) {
                    out = new StringBuilder(to - a);
                }
                out.append(new String(bytes, copied, trimEnd(bytes, copied, i) - copied, StandardCharsets.UTF_8));
                int j = i;
                while (j < to && (bytes[j] == '\r' || bytes[j] == '\n' || isWhitespace(bytes[j]))) {
                    j++;
                }
                out.append(' ');
                copied = j;
                i = j - 1;
            }
        }
        if (out == null) {
            return new String(bytes, a, to - a, StandardCharsets.UTF_8);
        }
        out.append(new String(bytes, copied, to - copied, StandardCharsets.UTF_8));
        return out.toString();
    }

    /** The end of the line at {@code from}: the index of its CR LF, LF or lone CR, or {@code end}. */
    private static int lineEnd(byte[] m, int from, int end) {
        for (int i = from; i < end; i++) {
            if (m[i] == '\n' || m[i] == '\r') {
                return i;
            }
        }
        return end;
    }

    /** The start of the line after the line end at {@code eol}. */
    private static int next(byte[] m, int eol, int end) {
        int i = eol;
        if (i < end && m[i] == '\r') {
            i++;
        }
        if (i < end && m[i] == '\n') {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] m, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (m[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int trimEnd(byte[] m, int from, int to) {
        int b = to;
        while (b > from && isWhitespace(m[b - 1])) {
            b--;
        }
        return b;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }
}
