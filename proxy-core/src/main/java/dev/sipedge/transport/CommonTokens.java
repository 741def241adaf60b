package dev.sipedge.transport;

import java.util.Arrays;

/**
 * Tokens nearly every message carries (Via's protocol and parameters, methods, URI and header
 * parameters, the SDP content type), by length: the parser hands one of these out as it is instead
 * of a copy of the line's text, which saves each message a dozen or more small strings. Compared
 * case-sensitively, so a token keeps the case it came in.
 */
final class CommonTokens {
    private static final String[][] BY_LENGTH = byLength("SIP", "2.0", "UDP", "TCP", "TLS", "udp", "tcp", "tls",
            "branch", "rport", "received", "tag", "lr", "transport", "maddr", "INVITE", "ACK", "BYE", "CANCEL",
            "OPTIONS", "PRACK", "UPDATE", "INFO", "application", "sdp");

    private CommonTokens() {
    }

    /** The text of {@code line} from {@code start} to {@code stop}: a common token's one instance, else a copy. */
    static String text(String line, int start, int stop) {
        int length = stop - start;
        if (length > 0 && length < BY_LENGTH.length) {
            // up to eleven tokens share a length: the first character turns most away cheaply
            char first = line.charAt(start);
            for (String common : BY_LENGTH[length]) {
                if (common.charAt(0) == first && line.regionMatches(start + 1, common, 1, length - 1)) {
                    return common;
                }
            }
        }
        return line.substring(start, stop);
    }

    private static String[][] byLength(String... tokens) {
        int longest = 0;
        for (String token : tokens) {
            longest = Math.max(longest, token.length());
        }
        String[][] table = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            final int wanted = length;
            table[length] = Arrays.stream(tokens).filter(t -> t.length() == wanted).toArray(String[]::new);
        }
        return table;
    }
}
