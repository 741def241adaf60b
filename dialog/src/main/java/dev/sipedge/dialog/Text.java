package dev.sipedge.dialog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Long-lived dialog strings kept as UTF-8 bytes: a {@code String} costs 24 bytes more than its
 * bytes, and a dialog holds several for hours (tags, URIs, Contacts). They are read rarely and
 * compared often, so comparison works on the bytes without decoding.
 */
final class Text {
    private Text() {
    }

    static byte[] of(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** True when {@code bytes} hold {@code s} (both null counts as equal). */
    static boolean same(byte[] bytes, String s) {
        if (bytes == null || s == null) {
            return bytes == null && s == null;
        }
        int n = s.length();
        if (bytes.length == n) {
            int i = 0;
            while (i < n && s.charAt(i) < 128 && bytes[i] == (byte) s.charAt(i)) {
                i++;
            }
            if (i == n) {
                return true;
            }
            if (s.charAt(i) < 128) {
                return false;   // an ASCII character differs: no encoding makes them equal
            }
        } else if (isAscii(s)) {
            return false;
        }
        return Arrays.equals(bytes, s.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }
}
