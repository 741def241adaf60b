package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainGateTest {
    @Test
    void openUntilDrainingStarts() {
        DrainGate gate = new DrainGate();
        assertTrue(gate.admitsNewRequests());
        assertFalse(gate.draining());

        gate.startDraining(Duration.ofSeconds(30));

        assertFalse(gate.admitsNewRequests());
        assertTrue(gate.draining());
        assertEquals(30, gate.retryAfterSeconds());
    }

    @Test
    void retryAfterIsRoundedUpToWholeSecondsAndAtLeastOne() {
        DrainGate gate = new DrainGate();
        gate.startDraining(Duration.ofMillis(1001));
        assertEquals(2, gate.retryAfterSeconds());
        gate.startDraining(Duration.ZERO);
        assertEquals(1, gate.retryAfterSeconds());
    }
}
