package dev.sipedge.transport;

import java.nio.charset.StandardCharsets;

/**
 * Finds the Call-ID (or compact {@code i}) header value in a raw header block, to pick the shard
 * that owns the call before anything is parsed. Allocation-free apart from the result; a message
 * without one yields null (the parser and validator then deal with it).
 */
final class CallIds {
    private static final byte[] LONG = "call-id".getBytes(StandardCharsets.US_ASCII);

    private CallIds() {
    }

    static String find(byte[] m, int headerEnd) {
        int end = Math.min(headerEnd, m.length);
        int pos = 0;
        while (pos < end) {
            int eol = pos;
            while (eol < end && m[eol] != '\n') {
                eol++;
            }
            int valueStart = valueStart(m, pos, eol);
            if (valueStart >= 0) {
                int a = valueStart;
                int b = eol;
                while (a < b && (m[a] == ' ' || m[a] == '\t')) {
                    a++;
                }
                while (b > a && (m[b - 1] == '\r' || m[b - 1] == ' ' || m[b - 1] == '\t')) {
                    b--;
                }
                return a < b ? new String(m, a, b - a, StandardCharsets.UTF_8) : null;
            }
            pos = eol + 1;
        }
        return null;
    }

    /** Index after the colon when the line at {@code start} is a Call-ID header, else -1. */
    private static int valueStart(byte[] m, int start, int end) {
        int nameEnd;
        if (end - start > LONG.length && matches(m, start, LONG)) {
            nameEnd = start + LONG.length;
        } else if (end - start > 1 && (m[start] | 0x20) == 'i') {
            nameEnd = start + 1;
        } else {
            return -1;
        }
        while (nameEnd < end && (m[nameEnd] == ' ' || m[nameEnd] == '\t')) {
            nameEnd++;
        }
        return nameEnd < end && m[nameEnd] == ':' ? nameEnd + 1 : -1;
    }

    private static boolean matches(byte[] m, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            if ((m[start + i] | 0x20) != lower[i] && m[start + i] != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
