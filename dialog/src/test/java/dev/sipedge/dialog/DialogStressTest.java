package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ownership model under load: four shards on their own threads, each with its own transaction
 * layer and {@link DialogTracker}, one shared timer and two shared capped profiles; four producer
 * threads hand the calls' steps to the shards that own their Call-IDs. 24,000 INVITEs through the
 * real transaction layer in 10 rounds, 20,000 of which become dialogs (the trunk cap refuses the
 * rest) and end by caller BYE, callee BYE, lifetime timeout, 486 or CANCEL/487.
 *
 * <p>Counts are exact although the interleaving is not: in a round every call of a trunk is
 * attempted while none of that round has ended, so a trunk with 150 attempts and a cap of 125
 * admits exactly 125 (which ones varies); the endings are then dealt out by rank over the admitted
 * calls. Time is virtual: the test advances the shared timer once every shard is idle.
 */
class DialogStressTest {
    private static final int SHARDS = 4;
    private static final int PRODUCERS = 4;
    private static final int ROUNDS = 10;
    private static final int TRUNKS = 16;
    private static final int ATTEMPTS_PER_TRUNK = 150;
    private static final int TRUNK_CAP = 125;
    private static final int CALLS_PER_ROUND = TRUNKS * ATTEMPTS_PER_TRUNK;
    private static final int ADMITTED_PER_ROUND = TRUNKS * TRUNK_CAP;
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration DELETE_DELAY = Duration.ofSeconds(5);
    /** Past 64*T1 (Timers B, D, F, H, J, L, M) and the delete delay. */
    private static final Duration SETTLE = Duration.ofSeconds(40);

    private final StressFixture fixture = new StressFixture(SHARDS, TRUNK_CAP, CALLS_PER_ROUND, LIFETIME, DELETE_DELAY);
    private final ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);

    @AfterEach
    void stop() throws InterruptedException {
        producers.shutdownNow();
        assertTrue(producers.awaitTermination(10, TimeUnit.SECONDS));
        fixture.close();
    }

    @Test
    void thousandsOfDialogsEndExactlyAsScriptedOnTheirOwnShards() throws Exception {
        Map<StressCall.End, Integer> ends = new EnumMap<>(StressCall.End.class);
        List<StressCall> admitted = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            admitted.addAll(round(round, ends));
        }

        int created = ROUNDS * ADMITTED_PER_ROUND;
        assertEquals(created, admitted.size());
        assertEquals((double) created, fixture.counter("sipedge_dialogs_processed"), "processed");
        assertEquals(created, fixture.count("created"));
        assertEquals(created, fixture.count("destroyed"), "every dialog freed exactly once");
        int failures = ends.get(StressCall.End.BUSY) + ends.get(StressCall.End.CANCEL);
        assertEquals((double) failures, fixture.counter("sipedge_dialogs_failed"), "failed");
        assertEquals(failures, fixture.count("failed"));
        assertEquals((double) ends.get(StressCall.End.EXPIRE), fixture.counter("sipedge_dialogs_expired"), "expired");
        assertEquals((long) ends.get(StressCall.End.EXPIRE), fixture.count("expired"));
        assertEquals((long) ends.get(StressCall.End.CALLER_BYE) + ends.get(StressCall.End.CALLEE_BYE),
                fixture.count("terminated"));
        assertEquals(created, fixture.count("early"), "every dialog rang first");
        assertEquals(created - failures, fixture.count("answered"));
        assertEquals(created - failures, fixture.count("confirmed"));
        assertEquals(0, fixture.count("spiraled"));
        assertEquals(0.0, fixture.counter("sipedge_dialogs_unmatched_requests"));
        for (StressCall call : admitted) {
            assertEquals(expectedCause(call.end), fixture.endCauses.get(call.callId), call.callId + " " + call.end);
        }
        assertEquals(0.0, fixture.gauge("sipedge_dialogs_active"));
        assertEquals(0.0, fixture.gauge("sipedge_dialogs_early"));
        assertEquals(0, fixture.module.size());
        assertEquals(0, fixture.profile(StressFixture.TRUNK).size());
        assertEquals(0, fixture.profile(StressFixture.ALL).size());
        assertTrue(fixture.problems.isEmpty(), () -> fixture.problems.size() + " problems, first: " + fixture.problems.peek());
    }

    /** One round: admit, ring, end, let time run out; returns the admitted calls. */
    private List<StressCall> round(int round, Map<StressCall.End, Integer> ends) throws Exception {
        List<StressCall> calls = new ArrayList<>(CALLS_PER_ROUND);
        for (int k = 0; k < CALLS_PER_ROUND; k++) {
            int index = round * CALLS_PER_ROUND + k;
            String callId = StressCall.callId(index);
            calls.add(new StressCall(index, "trunk" + (index % TRUNKS), fixture.shardOf(callId), StressCall.FROM_UAC));
        }

        // Phase 1: every INVITE of the round, then a 180 for the admitted ones. Nothing ends yet.
        produce(calls, call -> List.of(call::invite, () -> {
            if (call.dialog != null) {
                call.ringing();
            }
        }));
        List<StressCall> admitted = new ArrayList<>();
        for (StressCall call : calls) {
            if (call.dialog != null) {
                admitted.add(call);
            }
        }
        String where = "round " + round;
        assertEquals(ADMITTED_PER_ROUND, admitted.size(), where + ": the trunk cap admits exactly its size per trunk");
        assertEquals(CALLS_PER_ROUND - ADMITTED_PER_ROUND, sentAndClear(503), where + ": each refused INVITE got 503");
        for (int t = 0; t < TRUNKS; t++) {
            assertEquals(TRUNK_CAP, fixture.profile(StressFixture.TRUNK).size("trunk" + t), where);
        }
        assertEquals(ADMITTED_PER_ROUND, fixture.profile(StressFixture.ALL).size(), where + ": refused calls left 'all'");
        assertEquals(ADMITTED_PER_ROUND, fixture.module.earlyCount(), where);
        assertEquals(0, fixture.module.activeCount(), where);
        assertEquals(ADMITTED_PER_ROUND, fixture.module.size(), where);

        // Phase 2: deal the endings out by rank (calls are in index order) and play them.
        StressCall.End[] kinds = StressCall.End.values();
        for (int i = 0; i < admitted.size(); i++) {
            StressCall call = admitted.get(i);
            call.end = kinds[i % kinds.length];
            ends.merge(call.end, 1, Integer::sum);
        }
        produce(admitted, DialogStressTest::ending);
        int expiring = admitted.size() / kinds.length;
        assertEquals(expiring, fixture.module.activeCount(), where + ": only the calls left to expire are active");
        assertEquals(0, fixture.module.earlyCount(), where);
        assertEquals(ADMITTED_PER_ROUND, fixture.module.size(), where + ": ended ones wait out the delete delay");
        assertEquals(ADMITTED_PER_ROUND, fixture.profile(StressFixture.ALL).size(), where);

        // Phase 3: transactions end (64*T1), deleted ones go (delete delay), lifetimes run out.
        fixture.advance(SETTLE);
        assertEquals(expiring, fixture.module.size(), where + ": ended dialogs freed after the delete delay");
        fixture.advance(LIFETIME);
        fixture.advance(SETTLE);
        assertEquals(0, fixture.module.size(), where);
        assertEquals(0, fixture.profile(StressFixture.TRUNK).size(), where);
        assertEquals(0, fixture.profile(StressFixture.ALL).size(), where);
        for (StressShard shard : fixture.shards) {
            assertEquals(0, (int) fixture.onShard(shard, shard.layer::activeTransactions), where);
            assertEquals(0, (int) fixture.onShard(shard, shard::trackedTransactions), where + ": tracker bookkeeping");
            assertEquals(0, (int) fixture.onShard(shard, () -> shard.proxy.unmatched + shard.proxy.strays), where);
            int[] recount = fixture.onShard(shard, () -> shard.tracker.table().recount());
            assertEquals(0, recount[0] + recount[1], where);
            fixture.onShard(shard, () -> {
                fixture.wires.get(shard.index).clear();
                return null;
            });
        }
        assertTrue(fixture.problems.isEmpty(), () -> where + ": " + fixture.problems.peek());
        return admitted;
    }

    private static List<Runnable> ending(StressCall call) {
        return switch (call.end) {
            case CALLER_BYE -> List.of(call::answer, call::ack, () -> call.reInvite(true), () -> call.bye(true));
            case CALLEE_BYE -> List.of(call::answer, call::ack, () -> call.reInvite(false), () -> call.bye(false));
            case EXPIRE -> List.of(call::answer, call::ack, () -> call.reInvite(call.index % 2 == 0));
            case BUSY -> List.of(call::busy);
            case CANCEL -> List.of(call::cancel);
        };
    }

    private static EndCause expectedCause(StressCall.End end) {
        return switch (end) {
            case CALLER_BYE -> EndCause.CALLER_BYE;
            case CALLEE_BYE -> EndCause.CALLEE_BYE;
            case EXPIRE -> EndCause.EXPIRED;
            case BUSY, CANCEL -> EndCause.FAILED;
        };
    }

    /**
     * The producers hand every call's steps, one task each, to the call's shard (so steps of many
     * calls interleave there), then the shards are drained.
     */
    private void produce(List<StressCall> calls, Function<StressCall, List<Runnable>> steps) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int first = p;
            done.add(producers.submit(() -> {
                for (int k = first; k < calls.size(); k += PRODUCERS) {
                    StressCall call = calls.get(k);
                    for (Runnable step : steps.apply(call)) {
                        fixture.run(call.shard, step);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        fixture.drain();
        assertTrue(fixture.problems.isEmpty(), () -> fixture.problems.size() + " problems, first: " + fixture.problems.peek());
    }

    /** Responses with {@code status} the shards sent, counted on each shard, then forgotten. */
    private long sentAndClear(int status) throws Exception {
        long n = 0;
        for (StressShard shard : fixture.shards) {
            RecordingTransport wire = fixture.wires.get(shard.index);
            n += fixture.onShard(shard, () -> {
                long c = wire.countStatus(status);
                wire.clear();
                return c;
            });
        }
        return n;
    }

}
