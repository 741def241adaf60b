package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.T1;
import static dev.sipedge.transaction.Harness.T2;
import static dev.sipedge.transaction.Harness.T4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipTimerTest {

    /** RFC 3261 §17.1.1.2 (A: doubling) and §17.1.2.2 / §17.2.1 (E, G: capped at T2 = 8*T1). */
    @ParameterizedTest(name = "n={0}: A={1}*T1, E/G={2}*T1")
    @CsvSource({
        "0, 1, 1",
        "1, 2, 2",
        "2, 4, 4",
        "3, 8, 8",
        "4, 16, 8",
        "5, 32, 8",
        "6, 64, 8",
    })
    void backoff(int n, int aInT1, int egInT1) {
        assertEquals(T1.multipliedBy(aInT1), SipTimer.backoff(n, T1, null));
        assertEquals(T1.multipliedBy(egInT1), SipTimer.backoff(n, T1, T2));
        assertEquals(SipTimer.backoff(n, T1, null), SipTimer.A.duration(Harness.SETTINGS, false, n));
        assertEquals(SipTimer.backoff(n, T1, T2), SipTimer.E.duration(Harness.SETTINGS, false, n));
        assertEquals(SipTimer.backoff(n, T1, T2), SipTimer.G.duration(Harness.SETTINGS, false, n));
    }

    @Test
    void backoffDoesNotOverflowAndRejectsNegative() {
        assertEquals(T2, SipTimer.backoff(10_000, T1, T2));
        assertThrows(IllegalArgumentException.class, () -> SipTimer.backoff(-1, T1, T2));
    }

    /** RFC 3261 Table 4 and RFC 6026 §7.1 / §8.4, per transport reliability. */
    @ParameterizedTest(name = "{0}: unreliable={1} reliable={2}")
    @CsvSource({
        "B, 64*T1, 64*T1",
        "F, 64*T1, 64*T1",
        "H, 64*T1, 64*T1",
        "L, 64*T1, 64*T1",
        "M, 64*T1, 64*T1",
        "J, 64*T1, 0",
        "D, 32s, 0",
        "I, T4, 0",
        "K, T4, 0",
        "C, C, C",
    })
    void fixedDurations(SipTimer timer, String unreliable, String reliable) {
        assertEquals(formula(unreliable), timer.duration(Harness.SETTINGS, false, 0));
        assertEquals(formula(reliable), timer.duration(Harness.SETTINGS, true, 0));
    }

    private static Duration formula(String f) {
        return switch (f) {
            case "64*T1" -> T1.multipliedBy(64);
            case "32s" -> Duration.ofSeconds(32);
            case "T4" -> T4;
            case "C" -> Harness.TIMER_C;
            case "0" -> Duration.ZERO;
            default -> throw new IllegalArgumentException(f);
        };
    }

    /** The long arithmetic gives what Duration.multipliedBy gives, also where nanoseconds overflow a long. */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        "PT0.5S, 64",
        "PT0.02S, 1048576",
        "PT0.000000001S, 3",
        "PT1H, 1048576",
        "PT2562047H, 2",
        "PT0S, 64",
    })
    void timesAgreesWithMultipliedBy(Duration t, long k) {
        assertEquals(t.multipliedBy(k), SipTimer.times(t, k));
    }
}
