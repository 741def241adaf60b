package dev.sipedge.transport;

/**
 * Positions in a received message's header block, for the edits made on its bytes
 * ({@link ViaSplice}, {@link RequestRelayEdit}): lines end in CRLF (a bare CR or LF is not
 * edited: the caller sends the message to the encoder), a line that starts with a
 * space or tab continues the header before it (RFC 3261 §7.3.1), list values are split by commas
 * outside quoted strings (and, for name-addr headers, outside angle brackets, where a URI's user
 * part may hold a comma).
 */
final class HeaderBytes {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private HeaderBytes() {
    }

    /** Index just after the blank line that ends the header block, or -1. */
    static int blockEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == CR && m[i + 1] == LF && m[i + 2] == CR && m[i + 3] == LF) {
                return i + 4;
            }
        }
        return -1;
    }

    /**
     * Start of the line after the one at {@code from}, or -1 without CRLF before {@code limit}, or
     * when a bare CR or LF comes first: JAIN-SIP ends a line at either, so a line holding one is
     * two lines to the parser and must not be edited as one.
     */
    static int nextLine(byte[] m, int from, int limit) {
        for (int i = from; i < limit; i++) {
            byte b = m[i];
            if (b == CR) {
                return i + 1 < limit && m[i + 1] == LF ? i + 2 : -1;
            }
            if (b == LF) {
                return -1;
            }
        }
        return -1;
    }

    /** End of the header starting at {@code line}: after its last CRLF, folded lines included; -1 without CRLF. */
    static int headerEnd(byte[] m, int line, int limit) {
        int next = nextLine(m, line, limit);
        while (next >= 0 && next < limit - 2 && isWhitespace(m[next])) {
            next = nextLine(m, next, limit);
        }
        return next;
    }

    /** Index of the colon that ends the header name at {@code line} (whitespace before it allowed), or -1. */
    static int nameEnd(byte[] m, int line, int lineEnd) {
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

    /** The header name in [from, colon), trailing whitespace ignored, equals {@code lowerName} ignoring case. */
    static boolean nameIs(byte[] m, int from, int colon, String lowerName) {
        int end = colon;
        while (end > from && isWhitespace(m[end - 1])) {
            end--;
        }
        if (end - from != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            if (Character.toLowerCase((char) m[from + i]) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first byte of the value after {@code colon}, leading whitespace skipped. */
    static int valueStart(byte[] m, int colon, int lineEnd) {
        int i = colon + 1;
        while (i < lineEnd && isWhitespace(m[i])) {
            i++;
        }
        return i;
    }

    /** The end of the value of a header ending at {@code lineEnd}: its last CRLF and trailing whitespace dropped. */
    static int valueEnd(byte[] m, int valueStart, int lineEnd) {
        int end = lineEnd - 2;
        while (end > valueStart && isWhitespace(m[end - 1])) {
            end--;
        }
        return end;
    }

    /**
     * The first list comma in [from, to), or -1: outside quoted strings, and outside {@code <...>}
     * when {@code angles} (name-addr headers: Route, Record-Route, Contact).
     */
    static int listComma(byte[] m, int from, int to, boolean angles) {
        boolean quoted = false;
        boolean bracketed = false;
        for (int i = from; i < to; i++) {
            byte b = m[i];
            if (quoted) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    quoted = false;
                }
            } else if (bracketed) {
                bracketed = b != '>';
            } else if (b == '"') {
                quoted = true;
            } else if (angles && b == '<') {
                bracketed = true;
            } else if (b == ',') {
                return i;
            }
        }
        return -1;
    }

    /** The number of list values in [from, to): one more than its list commas. */
    static int countValues(byte[] m, int from, int to, boolean angles) {
        int count = 1;
        int comma = listComma(m, from, to, angles);
        while (comma >= 0) {
            count++;
            comma = listComma(m, comma + 1, to, angles);
        }
        return count;
    }

    /** The first byte after {@code from} that is neither whitespace nor a fold (CRLF then whitespace). */
    static int skipSeparator(byte[] m, int from, int lineEnd) {
        int next = from;
        while (next < lineEnd) {
            if (isWhitespace(m[next])) {
                next++;
            } else if (m[next] == CR && next + 2 < lineEnd && isWhitespace(m[next + 2])) {
                next += 2;
            } else {
                break;
            }
        }
        return next;
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }
}
