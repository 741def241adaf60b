package dev.sipedge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.proxy.DrainGate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drain loop on a manual clock: each pause advances the clock instead of waiting. */
class GracefulStopTest {
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final DrainGate gate = new DrainGate();
    private final Deque<GracefulStop.Work> counts = new ArrayDeque<>();
    /** What the last count returns again once the queue is empty. */
    private GracefulStop.Work steady = new GracefulStop.Work.Counted(0, 0);
    private long nanos;
    private final List<Duration> pauses = new ArrayList<>();
    private final List<Boolean> gateWhenCounted = new ArrayList<>();
    private GracefulStop stop = new GracefulStop(gate, this::count, () -> nanos, d -> {
        pauses.add(d);
        nanos += d.toNanos();
    });

    private GracefulStop.Work count() {
        gateWhenCounted.add(gate.draining());
        GracefulStop.Work next = counts.poll();
        return next != null ? next : steady;
    }

    private static GracefulStop.Work busy(long dialogs, long transactions) {
        return new GracefulStop.Work.Counted(dialogs, transactions);
    }

    @Test
    void nothingInFlightStopsAtOnceWithTheGateClosed() {
        GracefulStop.Outcome outcome = stop.drain(GRACE);

        assertEquals(new GracefulStop.Outcome.Drained(Duration.ZERO), outcome);
        assertEquals(List.of(), pauses);
        assertEquals(List.of(true), gateWhenCounted, "the gate closes before the first count");
        assertEquals(30, gate.retryAfterSeconds(), "Retry-After is the grace");
    }

    @Test
    void waitsUntilTheLastDialogAndTransactionEnd() {
        counts.addAll(List.of(busy(2, 1), busy(1, 0), busy(0, 1)));

        GracefulStop.Outcome outcome = stop.drain(GRACE);

        assertEquals(new GracefulStop.Outcome.Drained(GracefulStop.POLL_INTERVAL.multipliedBy(3)), outcome);
        assertEquals(4, gateWhenCounted.size());
    }

    @Test
    void aCallThatNeverEndsIsDroppedWhenTheGraceRunsOut() {
        steady = busy(1, 0);

        GracefulStop.Outcome outcome = stop.drain(Duration.ofMillis(1050));

        assertEquals(new GracefulStop.Outcome.GraceExpired(Duration.ofMillis(1050), busy(1, 0)), outcome);
        assertEquals(Duration.ofMillis(50), pauses.get(pauses.size() - 1), "the last pause ends at the grace");
    }

    @Test
    void aZeroGraceStopsWithoutWaiting() {
        steady = busy(0, 3);

        assertInstanceOf(GracefulStop.Outcome.GraceExpired.class, stop.drain(Duration.ZERO));
        assertEquals(List.of(), pauses);
        assertTrue(gate.draining());
    }

    @Test
    void aCountThatFailsCountsAsBusy() {
        stop = new GracefulStop(gate, () -> {
            if (nanos < GracefulStop.POLL_INTERVAL.toNanos()) {
                throw new IllegalStateException("a shard did not answer");
            }
            return busy(0, 0);
        }, () -> nanos, d -> nanos += d.toNanos());

        assertEquals(new GracefulStop.Outcome.Drained(GracefulStop.POLL_INTERVAL), stop.drain(GRACE));
    }

    @Test
    void cuttingShortEndsTheDrainAtTheNextPoll() {
        steady = busy(1, 0);
        stop = new GracefulStop(gate, this::count, () -> nanos, d -> {
            nanos += d.toNanos();
            if (nanos >= Duration.ofSeconds(2).toNanos()) {
                stop.cutShort();
            }
        });

        GracefulStop.Outcome outcome = stop.drain(GRACE);

        assertEquals(new GracefulStop.Outcome.GraceExpired(Duration.ofSeconds(2), busy(1, 0)), outcome);
    }

    @Test
    void theGateStaysClosedAfterTheDrain() {
        assertFalse(gate.draining());
        stop.drain(GRACE);
        assertTrue(gate.draining());
        assertFalse(gate.admitsNewRequests());
    }
}
