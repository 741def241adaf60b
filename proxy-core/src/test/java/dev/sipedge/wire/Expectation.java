package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/**
 * One cell of an expectation table: the outcome(s) allowed on one transport and how the meters
 * must move. Outcomes are {@link Exchange} words: {@code RELAYED}, a status, {@code DROP}, each
 * optionally {@code +close}; alternatives are separated by {@code |}. {@code INCOMPLETE} (TCP)
 * means the message announces more body than it has: the test half-closes and expects the proxy
 * to close without answering or relaying ({@code DROP+close}).
 *
 * <p>Meter column: {@code P} parse errors +1; {@code P0} parse errors unchanged (well-formed, but
 * invalid); {@code D} dropped +1 and parse errors unchanged; {@code -} not asserted.
 */
record Expectation(String outcome, String meters) {

    boolean halfClose() {
        return outcome.equals("INCOMPLETE");
    }

    void assertMatches(String what, Exchange.Observed observed) {
        String[] allowed = halfClose() ? new String[] {"DROP+close"} : outcome.split("\\|");
        assertTrue(Arrays.asList(allowed).contains(observed.outcome()),
                () -> what + ": expected " + outcome + ", observed " + observed.describe());
        switch (meters) {
            case "P" -> assertEquals(1.0, observed.parseErrors(), () -> what + ": parse errors, " + observed.describe());
            case "P0" -> assertEquals(0.0, observed.parseErrors(), () -> what + ": parse errors, " + observed.describe());
            case "D" -> {
                assertEquals(0.0, observed.parseErrors(), () -> what + ": parse errors, " + observed.describe());
                assertTrue(observed.dropped() >= 1, () -> what + ": dropped counter, " + observed.describe());
            }
            case "-" -> { }
            default -> throw new IllegalArgumentException("meter column " + meters);
        }
    }
}
