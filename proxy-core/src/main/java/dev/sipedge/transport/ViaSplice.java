package dev.sipedge.transport;

import java.util.Arrays;

/**
 * Removes the top Via from a received message's bytes, the one edit a proxy makes to a response
 * it relays (RFC 3261 §16.7 step 3). The top Via is the first value of the first Via header
 * (long name or compact {@code v}, any case): when that header holds more values (a
 * comma-separated list, §7.3.1), only the first value and its comma go; otherwise the whole header,
 * with its folded continuation lines. Everything else is copied byte for byte.
 *
 * <p>Anything unusual (no CRLF line ends, no Via, a header block without its blank line) is a
 * {@link NotSpliced} result: the caller then encodes the parsed message instead.
 */
final class ViaSplice {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private ViaSplice() {
    }

    /** What {@link #removeTopVia} did. */
    sealed interface Result permits Spliced, NotSpliced {
    }

    /**
     * The message without its top Via is {@code message} less [{@code from}, {@code to}); the Via
     * value itself lies in [{@code valueFrom}, {@code valueTo}) (for a sanity check).
     */
    record Spliced(byte[] message, int from, int to, int valueFrom, int valueTo) implements Result {
        /** The edited message as a new array (tests; the encoder writes the two parts itself). */
        byte[] bytes() {
            byte[] out = new byte[message.length - (to - from)];
            System.arraycopy(message, 0, out, 0, from);
            System.arraycopy(message, to, out, from, message.length - to);
            return out;
        }

        /** The Via value that was cut. */
        byte[] removed() {
            return Arrays.copyOfRange(message, valueFrom, valueTo);
        }
    }

    record NotSpliced(String reason) implements Result {
    }

    static Result removeTopVia(byte[] m) {
        int end = headerEnd(m);
        if (end < 0) {
            return new NotSpliced("no end of headers");
        }
        int line = nextLine(m, 0, end);     // skip the start line
        while (line >= 0 && line < end) {
            int lineEnd = headerEnd(m, line, end);
            if (lineEnd < 0) {
                return new NotSpliced("a header without CRLF");
            }
            int colon = nameEnd(m, line, lineEnd);
            if (colon > 0 && isVia(m, line, colon)) {
                return cutFirstValue(m, line, colon, lineEnd);
            }
            line = lineEnd;
        }
        return new NotSpliced("no Via");
    }

    /** True when the header block has a Content-Length (or {@code l}) header. */
    static boolean declaresContentLength(byte[] m) {
        int end = headerEnd(m);
        if (end < 0) {
            return false;
        }
        int line = nextLine(m, 0, end);
        while (line >= 0 && line < end) {
            int lineEnd = headerEnd(m, line, end);
            if (lineEnd < 0) {
                return false;
            }
            int colon = nameEnd(m, line, lineEnd);
            if (colon > 0 && (equalsIgnoreCase(m, line, colon, "content-length") || equalsIgnoreCase(m, line, colon, "l"))) {
                return true;
            }
            line = lineEnd;
        }
        return false;
    }

    private static Result cutFirstValue(byte[] m, int line, int colon, int lineEnd) {
        int valueStart = colon + 1;
        while (valueStart < lineEnd && isWhitespace(m[valueStart])) {
            valueStart++;
        }
        int comma = topLevelComma(m, valueStart, lineEnd);
        if (comma < 0) {
            // the only value: the whole header goes, continuation lines included
            return new Spliced(m, line, lineEnd, valueStart, lineEnd);
        }
        int next = comma + 1;
        while (next < lineEnd) {
            if (isWhitespace(m[next])) {
                next++;
            } else if (m[next] == CR && next + 2 < lineEnd && isWhitespace(m[next + 2])) {
                next += 2;     // a list folded after the comma
            } else {
                break;
            }
        }
        if (next >= lineEnd - 2) {
            return new NotSpliced("a Via list ending in a comma");
        }
        return new Spliced(m, valueStart, next, valueStart, comma);
    }

    /** The first comma outside a quoted string in [from, to), or -1. */
    private static int topLevelComma(byte[] m, int from, int to) {
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            byte b = m[i];
            if (quoted) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    quoted = false;
                }
            } else if (b == '"') {
                quoted = true;
            } else if (b == ',') {
                return i;
            }
        }
        return -1;
    }

    /** Index just after the blank line that ends the header block, or -1. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == CR && m[i + 1] == LF && m[i + 2] == CR && m[i + 3] == LF) {
                return i + 4;
            }
        }
        return -1;
    }

    /** Start of the line after the one at {@code from}, or -1 without CRLF before {@code limit}. */
    private static int nextLine(byte[] m, int from, int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (m[i] == CR && m[i + 1] == LF) {
                return i + 2;
            }
        }
        return -1;
    }

    /** End of the header starting at {@code line}: after its last CRLF, folded lines included. */
    private static int headerEnd(byte[] m, int line, int limit) {
        int next = nextLine(m, line, limit);
        while (next >= 0 && next < limit - 2 && isWhitespace(m[next])) {
            next = nextLine(m, next, limit);
        }
        return next;
    }

    /** Index of the colon that ends the header name at {@code line} (whitespace before it allowed), or -1. */
    private static int nameEnd(byte[] m, int line, int lineEnd) {
        for (int i = line; i < lineEnd; i++) {
            if (m[i] == ':') {
                return i;
            }
            if (m[i] == CR) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isVia(byte[] m, int line, int colon) {
        return equalsIgnoreCase(m, line, colon, "via") || equalsIgnoreCase(m, line, colon, "v");
    }

    /** The header name in [from, colon), trailing whitespace ignored, equals {@code name} ignoring case. */
    private static boolean equalsIgnoreCase(byte[] m, int from, int colon, String name) {
        int end = colon;
        while (end > from && isWhitespace(m[end - 1])) {
            end--;
        }
        if (end - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) m[from + i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }
}
