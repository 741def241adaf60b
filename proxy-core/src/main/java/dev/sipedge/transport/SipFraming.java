package dev.sipedge.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Byte-level framing shared by the stream and datagram decoders (RFC 3261 §7.5, §18.3): where the
 * header block ends and what Content-Length says.
 *
 * <p>A stream's header end is searched for in the connection's buffer as the bytes arrive
 * ({@link #headerEnd}); a datagram, and a stream's header block once its end is known, is framed
 * on its copied bytes in one pass over its lines ({@link #frame}). Both hold the same rule for
 * the empty line: an LF followed by CRLF or by LF (bare-LF senders exist).
 */
final class SipFraming {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] LONG_NAME = "content-length".getBytes(StandardCharsets.US_ASCII);

    private SipFraming() {
    }

    /** What {@link #frame} found. */
    sealed interface Frame permits Framed, NoHeaderEnd, BadContentLength {
    }

    /**
     * The header block is {@code [0, headerEnd)}; {@code contentLength} is what its Content-Length
     * says, empty when it has none; {@code headerLines} counts the lines after the start line that
     * begin a header (a folded continuation line does not), for the bound on what one message may
     * cost the parser.
     */
    record Framed(int headerEnd, OptionalInt contentLength, int headerLines) implements Frame {
    }

    /** No empty line ends the header block. */
    record NoHeaderEnd() implements Frame {
    }

    /**
     * The header block ends at {@code headerEnd}, but a Content-Length is not a number, is above
     * {@link Integer#MAX_VALUE}, or repeats with another value (equal repeats are tolerated).
     */
    record BadContentLength(int headerEnd) implements Frame {
    }

    private static final NoHeaderEnd NO_HEADER_END = new NoHeaderEnd();

    /**
     * Frames {@code m}, which starts at its start line: one pass over the lines finds the empty
     * line, reads the Content-Length (or compact {@code l}) header lines before it and counts the
     * header lines.
     */
    static Frame frame(byte[] m) {
        int to = m.length;
        boolean found = false;
        boolean invalid = false;
        int contentLength = 0;
        int headerLines = 0;
        int lineStart = 0;
        while (true) {
            int lf = indexOf(m, lineStart, to, LF);
            if (lf < 0) {
                return NO_HEADER_END;
            }
            if (lineStart > 0 && m[lineStart] != ' ' && m[lineStart] != '\t') {
                headerLines++;
            }
            int valueStart = lineStart == 0 ? -1 : valueStartIfContentLength(m, lineStart, lf);
            if (valueStart >= 0) {
                long value = digits(m, valueStart, lf);
                invalid |= value < 0 || found && value != contentLength;
                found = true;
                contentLength = (int) Math.max(0, value);
            }
            int next = lf + 1;
            int end = next < to && m[next] == LF ? next + 1
                    : next + 1 < to && m[next] == CR && m[next + 1] == LF ? next + 2 : 0;
            if (end > 0) {
                return invalid ? new BadContentLength(end)
                        : new Framed(end, found ? OptionalInt.of(contentLength) : OptionalInt.empty(), headerLines);
            }
            lineStart = next;
        }
    }

    /**
     * Index just past the empty line that ends the header block, searching {@code [from, to)} of a
     * stream's buffer; -1 when it is not there yet (the search resumes when more bytes arrive).
     */
    static int headerEnd(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to) {
            int lf = buf.indexOf(i, to, LF);
            if (lf < 0) {
                return -1;
            }
            int next = lf + 1;
            if (next < to && buf.getByte(next) == LF) {
                return next + 1;
            }
            if (next + 1 < to && buf.getByte(next) == CR && buf.getByte(next + 1) == LF) {
                return next + 2;
            }
            i = next;
        }
        return -1;
    }

    /** Index just past the last LF in {@code [from, to)}, or {@code from} if there is none. */
    static int lastLineEnd(ByteBuf buf, int from, int to) {
        int lf = buf.forEachByteDesc(from, to - from, b -> b != LF);
        return lf < 0 ? from : lf + 1;
    }

    /**
     * Index after the colon when the line {@code [start, end)} is a Content-Length header, else -1.
     * The name is matched as the parser reads header names: letters in either case, the hyphen
     * exactly, only blanks before the colon. A line framing takes for a Content-Length is then one
     * the parser reads as one too, so the received bytes of a message framing says declares its
     * length can be relayed as they came ({@link ReceivedBytes}).
     */
    private static int valueStartIfContentLength(byte[] m, int start, int end) {
        int nameEnd;
        if (end - start > LONG_NAME.length && matchesIgnoreCase(m, start, LONG_NAME)) {
            nameEnd = start + LONG_NAME.length;
        } else if (end - start > 1 && (m[start] | 0x20) == 'l') {
            nameEnd = start + 1;
        } else {
            return -1;
        }
        int i = nameEnd;
        while (i < end && (m[i] == ' ' || m[i] == '\t')) {
            i++;
        }
        return i < end && m[i] == ':' ? i + 1 : -1;
    }

    /** {@code lowerName} at {@code start}: its letters in either case, anything else exactly. */
    private static boolean matchesIgnoreCase(byte[] m, int start, byte[] lowerName) {
        for (int k = 0; k < lowerName.length; k++) {
            byte b = m[start + k];
            byte want = lowerName[k];
            if (b != want && (want < 'a' || want > 'z' || (b | 0x20) != want)) {
                return false;
            }
        }
        return true;
    }

    /** Digits surrounded by optional whitespace, up to {@link Integer#MAX_VALUE}; negative otherwise. */
    private static long digits(byte[] m, int start, int end) {
        int i = skipWhitespace(m, start, end);
        long value = 0;
        int digits = 0;
        while (i < end && m[i] >= '0' && m[i] <= '9') {
            value = value * 10 + (m[i] - '0');
            if (value > Integer.MAX_VALUE) {
                return -1;
            }
            digits++;
            i++;
        }
        i = skipWhitespace(m, i, end);
        return digits == 0 || i != end ? -1 : value;
    }

    private static int skipWhitespace(byte[] m, int i, int end) {
        while (i < end && (m[i] == ' ' || m[i] == '\t' || m[i] == CR)) {
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
}
