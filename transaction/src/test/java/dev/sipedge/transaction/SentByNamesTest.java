package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SentByNamesTest {
    private final SentByNames names = new SentByNames();

    @Test
    void aPeerSeenBeforeGetsTheSameString() {
        String first = names.of(new String("192.0.2.1"), 5060);
        assertEquals("192.0.2.1:5060", first);
        assertSame(first, names.of(new String("192.0.2.1"), 5060));
    }

    @Test
    void withoutAPortTheHostAlone() {
        assertEquals("proxy.example.com", names.of("proxy.example.com", -1));
        assertEquals("proxy.example.com", names.of("proxy.example.com", 0));
    }

    @Test
    void peersThatShareASlotEachGetTheirOwnValue() {
        // More peers than slots: every answer is still the peer's own, whatever was evicted.
        for (int round = 0; round < 2; round++) {
            for (int port = 1; port <= 200; port++) {
                assertEquals("10.0.0.1:" + port, names.of("10.0.0.1", port));
                assertEquals("10.0.0.2:" + port, names.of("10.0.0.2", port));
            }
        }
    }
}
