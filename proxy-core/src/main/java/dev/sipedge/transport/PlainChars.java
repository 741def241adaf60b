package dev.sipedge.transport;

/**
 * The character classes {@link HeaderLine} reads by (RFC 3261 §25.1), each the plain path's
 * subset: JAIN-SIP's lexers accept more (escapes, IPv6, user-unreserved characters), and what
 * these refuse is declined to them.
 */
final class PlainChars {

    private PlainChars() {
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
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c);
    }

    static boolean isDomainChar(char c) {
        return isAlphaDigit(c) || c == '-' || c == '.';
    }

    static boolean isUserChar(char c) {
        return isAlphaDigit(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*'
                || c == '\'' || c == '+';
    }

    static boolean isUriParameterChar(char c) {
        return isAlphaDigit(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*'
                || c == '\'';
    }

    static boolean isTokenChar(char c) {
        if (isAlphaDigit(c)) {
            return true;
        }
        switch (c) {
            case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
                return true;
            default:
                return false;
        }
    }

    static boolean isDisplayNameChar(char c) {
        return isTokenChar(c) && c != '*' || isBlank(c);
    }
}
