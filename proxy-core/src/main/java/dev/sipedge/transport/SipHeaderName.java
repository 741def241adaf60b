package dev.sipedge.transport;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The headers the transport and the proxy look up by name, with their compact forms (RFC 3261
 * §7.3.3 and §20). Names compare case-insensitively, on the bytes.
 */
public enum SipHeaderName {
    CALL_ID("Call-ID", 'i'),
    VIA("Via", 'v'),
    FROM("From", 'f'),
    TO("To", 't'),
    CONTACT("Contact", 'm'),
    CONTENT_LENGTH("Content-Length", 'l'),
    CONTENT_TYPE("Content-Type", 'c'),
    CSEQ("CSeq", (char) 0),
    MAX_FORWARDS("Max-Forwards", (char) 0),
    ROUTE("Route", (char) 0),
    RECORD_ROUTE("Record-Route", (char) 0),
    SUBJECT("Subject", 's');

    private final byte[] lower;
    private final char compact;

    SipHeaderName(String name, char compact) {
        this.lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        this.compact = compact;
    }

    /** The same comparison on a header line's name, {@code [from, to)} of {@code s}. */
    boolean matches(String s, int from, int to) {
        int length = to - from;
        if (length == 1) {
            return compact != 0 && (s.charAt(from) | 0x20) == compact;
        }
        if (length != lower.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(from + i);
            if (c != lower[i] && (c | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    boolean matches(byte[] m, int from, int to) {
        int length = to - from;
        if (length == 1) {
            return compact != 0 && (m[from] | 0x20) == compact;
        }
        if (length != lower.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = m[from + i];
            if (b != lower[i] && (b | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
