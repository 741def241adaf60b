package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The class table against each class spelled out from RFC 3261 §25.1 (the plain path's subset),
 * for every char: a bit set on the wrong row, or a class reaching above ASCII, fails here.
 */
class PlainCharsTest {

    private static boolean alphaDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean oneOf(char c, String set) {
        return set.indexOf(c) >= 0;
    }

    private static void sameForEveryChar(String name, Predicate<Character> spelledOut, Predicate<Character> table) {
        for (int i = 0; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            assertEquals(spelledOut.test(c), table.test(c), name + " of U+" + Integer.toHexString(i));
        }
    }

    @Test
    void everyClassIsItsDefinition() {
        sameForEveryChar("alphanum", PlainCharsTest::alphaDigit, PlainChars::isAlphaDigit);
        sameForEveryChar("domain", c -> alphaDigit(c) || oneOf(c, "-."), PlainChars::isDomainChar);
        sameForEveryChar("user", c -> alphaDigit(c) || oneOf(c, "-_.!~*'+"), PlainChars::isUserChar);
        sameForEveryChar("uri parameter", c -> alphaDigit(c) || oneOf(c, "-_.!~*'"), PlainChars::isUriParameterChar);
        sameForEveryChar("token", c -> alphaDigit(c) || oneOf(c, "-.!%*_+`'~"), PlainChars::isTokenChar);
        sameForEveryChar("display name", c -> alphaDigit(c) || oneOf(c, "-.!%_+`'~ \t"), PlainChars::isDisplayNameChar);
    }
}
