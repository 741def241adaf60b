package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The end-of-call record's timestamps read exactly as {@link Instant#toString()} writes them. */
class IsoMillisTest {

    @Test
    void writesWhatInstantWritesForEveryKindOfMillisecond() {
        long[] cases = {
            0L, 1L, 10L, 100L, 999L, 1000L, 59_999L, 86_399_999L, 86_400_000L,
            -1L, -1000L, -86_400_001L,                                  // before the epoch
            951_782_400_000L,                                           // 2000-02-29, a leap day
            1_796_542_635_439L,                                         // a call of today's kind
            Instant.parse("0000-01-01T00:00:00Z").toEpochMilli(),      // the first four-digit year
            Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),  // the last one
        };
        for (long millis : cases) {
            assertEquals(Instant.ofEpochMilli(millis).toString(), IsoMillis.format(millis), "millis " + millis);
        }
    }

    @Test
    void leavesYearsOutsideFourDigitsToTheJdk() {
        long[] cases = {
            Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli(),
            Instant.parse("-0001-12-31T23:59:59.500Z").toEpochMilli(),
        };
        for (long millis : cases) {
            assertEquals(Instant.ofEpochMilli(millis).toString(), IsoMillis.format(millis), "millis " + millis);
        }
    }

    @Test
    void agreesWithInstantOverTwoCenturiesOfRandomMilliseconds() {
        Random random = new Random(20261206L);
        long from = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            long millis = from + (long) (random.nextDouble() * (to - from));
            if (i % 3 == 0) {
                millis -= Math.floorMod(millis, 1000L);  // whole seconds, which take no fraction
            }
            assertEquals(Instant.ofEpochMilli(millis).toString(), IsoMillis.format(millis), "millis " + millis);
        }
    }
}
