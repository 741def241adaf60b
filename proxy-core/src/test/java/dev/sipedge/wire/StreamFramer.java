package dev.sipedge.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Cuts SIP messages out of a TCP byte stream by the blank line and Content-Length (RFC 3261
 * §18.3), skipping CRLF keep-alives between messages. Blocking; the socket's SO_TIMEOUT bounds
 * every read.
 */
final class StreamFramer {
    /** Nothing this test talks to sends more; a bound so a broken peer cannot make us read forever. */
    private static final int MAX_HEADER_BYTES = 256 * 1024;

    private final InputStream in;

    StreamFramer(InputStream in) {
        this.in = in;
    }

    /** The next message, or null at end of stream (between messages or inside one). */
    RawSip next() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        do {
            b = in.read();
        } while (b == '\r' || b == '\n');
        if (b < 0) {
            return null;
        }
        head.write(b);
        int matched = 0;   // progress through CRLFCRLF
        while (matched < 4) {
            b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("header block over " + MAX_HEADER_BYTES + " bytes");
            }
        }
        byte[] headBytes = head.toByteArray();
        int length = contentLength(new String(headBytes, StandardCharsets.ISO_8859_1));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return null;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return RawSip.parse(all);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (name.equals("content-length") || name.equals("l")) {
                    return Integer.parseInt(line.substring(colon + 1).strip());
                }
            }
        }
        return 0;
    }
}
