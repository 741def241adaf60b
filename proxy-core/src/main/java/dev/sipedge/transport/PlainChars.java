package dev.sipedge.transport;

/**
 * The character classes {@link HeaderLine} reads by (RFC 3261 §25.1), each the plain path's
 * subset: JAIN-SIP's lexers accept more (escapes, IPv6, user-unreserved characters), and what
 * these refuse is declined to them.
 *
 * <p>The classes are bits of one table over ASCII, built from the definitions below: a header
 * line's every character is tested against one, and a chain of comparisons per character was
 * 1.4 % of the event loop's samples in a warm profile. No class holds a character above ASCII.
 */
final class PlainChars {

    private static final byte ALPHA_DIGIT = 1;
    private static final byte DOMAIN = 1 << 1;
    private static final byte USER = 1 << 2;
    private static final byte URI_PARAMETER = 1 << 3;
    private static final byte TOKEN = 1 << 4;
    private static final byte DISPLAY_NAME = 1 << 5;

    /** Marks beside letters and digits (RFC 3261 §25.1 {@code mark}, {@code token}, {@code user-unreserved}). */
    private static final String DOMAIN_MARKS = "-.";
    private static final String URI_PARAMETER_MARKS = "-_.!~*'";
    private static final String USER_MARKS = URI_PARAMETER_MARKS + "+";
    private static final String TOKEN_MARKS = "-.!%*_+`'~";

    private static final byte[] CLASSES = classes();

    private PlainChars() {
    }

    private static byte[] classes() {
        byte[] table = new byte[128];
        for (char c = 0; c < 128; c++) {
            boolean alphaDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            boolean token = alphaDigit || TOKEN_MARKS.indexOf(c) >= 0;
            int bits = (alphaDigit ? ALPHA_DIGIT : 0)
                    | (alphaDigit || DOMAIN_MARKS.indexOf(c) >= 0 ? DOMAIN : 0)
                    | (alphaDigit || USER_MARKS.indexOf(c) >= 0 ? USER : 0)
                    | (alphaDigit || URI_PARAMETER_MARKS.indexOf(c) >= 0 ? URI_PARAMETER : 0)
                    | (token ? TOKEN : 0)
                    // a display name is tokens and blanks; '*' alone is Contact's wildcard
                    | (token && c != '*' || c == ' ' || c == '\t' ? DISPLAY_NAME : 0);
            table[c] = (byte) bits;
        }
        return table;
    }

    private static boolean is(char c, byte charClass) {
        return c < 128 && (CLASSES[c] & charClass) != 0;
    }

    static boolean endsHost(char c) {
        return c == ';' || c == '>' || c == '?' || c == ',' || c == ' ' || c == '\t' || c == '/';
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphaDigit(char c) {
        return is(c, ALPHA_DIGIT);
    }

    static boolean isDomainChar(char c) {
        return is(c, DOMAIN);
    }

    static boolean isUserChar(char c) {
        return is(c, USER);
    }

    static boolean isUriParameterChar(char c) {
        return is(c, URI_PARAMETER);
    }

    static boolean isTokenChar(char c) {
        return is(c, TOKEN);
    }

    static boolean isDisplayNameChar(char c) {
        return is(c, DISPLAY_NAME);
    }
}
