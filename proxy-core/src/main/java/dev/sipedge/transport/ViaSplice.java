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

    /** {@link #removeTopVia(byte[], int)} for bytes whose header block is found here (tests). */
    static Result removeTopVia(byte[] m) {
        int end = HeaderBytes.blockEnd(m);
        if (end < 0) {
            return new NotSpliced("no end of headers");
        }
        return removeTopVia(m, end);
    }

    /** The first Via value cut from {@code m}, whose header block (blank line included) ends at {@code end}. */
    static Result removeTopVia(byte[] m, int end) {
        int line = HeaderBytes.nextLine(m, 0, end);     // skip the start line
        while (line >= 0 && line < end) {
            int lineEnd = HeaderBytes.headerEnd(m, line, end);
            if (lineEnd < 0) {
                return new NotSpliced("a header without CRLF");
            }
            int colon = HeaderBytes.nameEnd(m, line, lineEnd);
            if (colon > 0 && isVia(m, line, colon)) {
                return cutFirstValue(m, line, colon, lineEnd);
            }
            line = lineEnd;
        }
        return new NotSpliced("no Via");
    }

    /** True when the header block has a Content-Length (or {@code l}) header. */
    static boolean declaresContentLength(byte[] m) {
        int end = HeaderBytes.blockEnd(m);
        if (end < 0) {
            return false;
        }
        int line = HeaderBytes.nextLine(m, 0, end);
        while (line >= 0 && line < end) {
            int lineEnd = HeaderBytes.headerEnd(m, line, end);
            if (lineEnd < 0) {
                return false;
            }
            int colon = HeaderBytes.nameEnd(m, line, lineEnd);
            if (colon > 0 && (HeaderBytes.nameIs(m, line, colon, "content-length")
                    || HeaderBytes.nameIs(m, line, colon, "l"))) {
                return true;
            }
            line = lineEnd;
        }
        return false;
    }

    /**
     * True when the Via value in [from, to) is one JAIN-SIP reads as exactly one Via that ends
     * there, so the bytes can be cut or rewritten at that comma. JAIN-SIP ends a Via where its
     * parameters end and starts another after whitespace without wanting a comma, and reads commas
     * inside a comment or quoted string as text; so the value may hold only token characters and
     * {@code / : ; = [ ]}, a quoted string only as a parameter's value, and whitespace (folds
     * included) only next to one of {@code / : ; =}, as the one gap between transport and host, or
     * at either end. Anything else (a comment, a stray quote, bytes outside ASCII) is left to the
     * encoder: correct, only slower.
     */
    static boolean isPlainValue(byte[] m, int from, int to) {
        int i = from;
        while (i < to && isLws(m[i])) {
            i++;
        }
        int slashes = 0;
        boolean gapSeen = false;
        byte previous = 0;
        while (i < to) {
            byte b = m[i];
            if (isLws(b)) {
                while (i < to && isLws(m[i])) {
                    i++;
                }
                if (i == to || isSeparator(previous) || isSeparator(m[i])) {
                    continue;
                }
                if (slashes != 2 || gapSeen) {
                    return false;   // JAIN-SIP may start another Via here
                }
                gapSeen = true;
                continue;
            }
            if (b == '"' && previous == '=') {
                i = quotedEnd(m, i + 1, to);    // a quoted parameter value, read as JAIN-SIP reads it
                if (i < 0) {
                    return false;
                }
                previous = b;
                continue;
            }
            if (!isPlainByte(b)) {
                return false;
            }
            if (b == '/') {
                slashes++;
            }
            previous = b;
            i++;
        }
        return true;
    }

    /** The index after the closing quote of a quoted string whose content starts at {@code from}, or -1. */
    private static int quotedEnd(byte[] m, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = m[i];
            if (b == '\r' || b == '\n') {
                return -1;
            } else if (b == '\\') {
                i++;
            } else if (b == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** A byte a plain Via value may hold besides whitespace: token characters and / : ; = [ ]. */
    private static boolean isPlainByte(byte b) {
        char c = (char) (b & 0xFF);
        return PlainChars.isTokenChar(c) || isSeparator(b) || c == '[' || c == ']';
    }

    private static boolean isSeparator(byte b) {
        return b == '/' || b == ':' || b == ';' || b == '=';
    }

    private static boolean isLws(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static boolean isVia(byte[] m, int line, int colon) {
        return HeaderBytes.nameIs(m, line, colon, "via") || HeaderBytes.nameIs(m, line, colon, "v");
    }

    private static Result cutFirstValue(byte[] m, int line, int colon, int lineEnd) {
        int valueStart = HeaderBytes.valueStart(m, colon, lineEnd);
        int comma = HeaderBytes.listComma(m, valueStart, lineEnd, false);
        if (!isPlainValue(m, valueStart, comma >= 0 ? comma : HeaderBytes.valueEnd(m, valueStart, lineEnd))) {
            return new NotSpliced("a top Via value JAIN-SIP may delimit otherwise than its commas");
        }
        if (comma < 0) {
            // the only value: the whole header goes, continuation lines included
            return new Spliced(m, line, lineEnd, valueStart, lineEnd);
        }
        int next = HeaderBytes.skipSeparator(m, comma + 1, lineEnd);
        if (next >= lineEnd - 2) {
            return new NotSpliced("a Via list ending in a comma");
        }
        return new Spliced(m, valueStart, next, valueStart, comma);
    }
}
