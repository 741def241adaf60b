package dev.sipedge.transport;

import java.util.Arrays;

/**
 * Tokens nearly every message carries (Via's protocol and parameters, methods, URI and header
 * parameters, the SDP content type), by length: the parser hands one of these out as it is instead
 * of a copy of the line's text, which saves each message a dozen or more small strings. Compared
 * case-sensitively, so a token keeps the case it came in.
 */
final class CommonTokens {
    private static final int ASCII = 128;
    /**
     * The tokens by length and then by first character (ASCII): a token whose pair has no entry,
     * most of them, is copied without touching any of the shared strings.
     */
    private static final String[][][] BY_LENGTH_AND_FIRST = table("SIP", "2.0", "UDP", "TCP", "TLS", "udp", "tcp",
            "tls", "branch", "rport", "received", "tag", "lr", "transport", "maddr", "INVITE", "ACK", "BYE", "CANCEL",
            "OPTIONS", "PRACK", "UPDATE", "INFO", "application", "sdp");

    private CommonTokens() {
    }

    /** The text of {@code line} from {@code start} to {@code stop}: a common token's one instance, else a copy. */
    static String text(String line, int start, int stop) {
        int length = stop - start;
        if (length > 0 && length < BY_LENGTH_AND_FIRST.length) {
            char first = line.charAt(start);
            String[] candidates = first < ASCII ? BY_LENGTH_AND_FIRST[length][first] : null;
            if (candidates != null) {
                for (String common : candidates) {
                    if (line.regionMatches(start + 1, common, 1, length - 1)) {
                        return common;
                    }
                }
            }
        }
        return line.substring(start, stop);
    }

    private static String[][][] table(String... tokens) {
        int longest = 0;
        for (String token : tokens) {
            longest = Math.max(longest, token.length());
        }
        String[][][] table = new String[longest + 1][ASCII][];
        for (String token : tokens) {
            String[] slot = table[token.length()][token.charAt(0)];
            String[] grown = slot == null ? new String[1] : Arrays.copyOf(slot, slot.length + 1);
            grown[grown.length - 1] = token;
            table[token.length()][token.charAt(0)] = grown;
        }
        return table;
    }
}
