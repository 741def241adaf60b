package dev.sipedge.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level framing shared by the stream and datagram decoders (RFC 3261 §7.5, §18.3): where the
 * header block ends and what Content-Length says. Works on the buffer in place with
 * {@link ByteBuf#indexOf}, never copying or reading byte by byte.
 */
final class SipFraming {

    /** {@link #contentLength} result when no Content-Length header is present. */
    static final long MISSING = -1;
    /** {@link #contentLength} result when a value is not a number, too big, or values disagree. */
    static final long INVALID = -2;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] LONG_NAME = "content-length".getBytes(StandardCharsets.US_ASCII);

    private SipFraming() {
    }

    /**
     * Index just past the empty line that ends the header block, searching {@code [from, to)}; -1
     * when it is not there yet. An empty line is LF followed by CRLF or by LF (bare-LF senders exist).
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
     * The Content-Length (or compact {@code l}) value in the header block {@code [from, headerEnd)},
     * {@link #MISSING} or {@link #INVALID}. Repeated headers with equal values are tolerated.
     */
    static long contentLength(ByteBuf buf, int from, int headerEnd) {
        long found = MISSING;
        int lineStart = from;
        while (lineStart < headerEnd) {
            int lf = buf.indexOf(lineStart, headerEnd, LF);
            int lineEnd = lf < 0 ? headerEnd : lf;
            int valueStart = valueStartIfContentLength(buf, lineStart, lineEnd);
            if (valueStart >= 0) {
                long value = parseDigits(buf, valueStart, lineEnd);
                if (value == INVALID || (found != MISSING && found != value)) {
                    return INVALID;
                }
                found = value;
            }
            lineStart = lineEnd + 1;
        }
        return found;
    }

    /** Index after the colon when the line is a Content-Length header, else -1. */
    private static int valueStartIfContentLength(ByteBuf buf, int start, int end) {
        int nameEnd;
        if (end - start > LONG_NAME.length && matchesIgnoreCase(buf, start, LONG_NAME)) {
            nameEnd = start + LONG_NAME.length;
        } else if (end - start > 1 && (buf.getByte(start) | 0x20) == 'l') {
            nameEnd = start + 1;
        } else {
            return -1;
        }
        int i = skipWhitespace(buf, nameEnd, end);
        return i < end && buf.getByte(i) == ':' ? i + 1 : -1;
    }

    private static boolean matchesIgnoreCase(ByteBuf buf, int start, byte[] lowerName) {
        for (int k = 0; k < lowerName.length; k++) {
            if ((buf.getByte(start + k) | 0x20) != lowerName[k] && buf.getByte(start + k) != lowerName[k]) {
                return false;
            }
        }
        return true;
    }

    /** Digits surrounded by optional whitespace; {@link #INVALID} otherwise or above Integer.MAX_VALUE. */
    private static long parseDigits(ByteBuf buf, int start, int end) {
        int i = skipWhitespace(buf, start, end);
        long value = 0;
        int digits = 0;
        while (i < end) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            if (value > Integer.MAX_VALUE) {
                return INVALID;
            }
            digits++;
            i++;
        }
        i = skipWhitespace(buf, i, end);
        return digits == 0 || i != end ? INVALID : value;
    }

    private static int skipWhitespace(ByteBuf buf, int i, int end) {
        while (i < end) {
            byte b = buf.getByte(i);
            if (b != ' ' && b != '\t' && b != CR) {
                return i;
            }
            i++;
        }
        return i;
    }
}
