package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transaction.TransportKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.HashedWheelTimer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the heap a confirmed dialog keeps once its INVITE transactions are gone: 100,000 plain
 * tracked calls (INVITE, 180, 200, ACK through the real transaction layer and a {@link StressProxy};
 * a 40-char Call-ID, 14-char tags, full URIs and Contacts with ports, no route set, values, flags or
 * profiles), the timer advanced past 64*T1 and Timer C so only dialog state (tables, legs, flows,
 * the lifetime timer entry) is left. Used heap after {@code System.gc()} before and after, divided.
 *
 * <p>Opt-in, like the transaction module's {@code LingerHeapTest}:
 * {@code mvn -o -pl dialog -am test -Dtest=DialogHeapTest -Dsipedge.heap=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Two variants are printed: calls from one peer, whose
 * datagrams the transport delivers with one shared flow ({@code PeerFlows}; the shape of a load
 * generator or an SBC in front, and of Kamailio's ~950-byte figure; the one asserted), and a new
 * peer address per call (UAs each on their own address), whose difference is what a leg's own
 * copy of its peer's address costs.
 */
@EnabledIfSystemProperty(named = "sipedge.heap", matches = "true")
class DialogHeapTest {
    private static final int DIALOGS = 100_000;
    private static final int CALLS_PER_SECOND = 1_000;
    /** Kamailio 5.6's shared memory per confirmed dialog on this traffic (issue 12). */
    private static final long LIMIT_BYTES = 950;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Test
    void confirmedDialogKeepsNoMoreThanKamailios() {
        long fresh = bytesPerDialog("a new peer address per call", DialogHeapTest::freshCallerFlow,
                () -> new Flow(TransportKind.UDP, StressCall.PROXY, StressCall.UAS));
        long shared = bytesPerDialog("calls from one peer, one flow", () -> StressCall.FROM_UAC,
                () -> StressCall.FROM_UAS);
        System.out.printf("DialogHeapTest: a peer address of its own costs a dialog %d bytes%n", fresh - shared);
        assertTrue(shared <= LIMIT_BYTES, "retained " + shared + " bytes per confirmed dialog, limit " + LIMIT_BYTES);
    }

    private long bytesPerDialog(String variant, Supplier<Flow> callerFlow, Supplier<Flow> branchFlow) {
        StressTimer timer = new StressTimer();
        // Lifetimes (12 h) go on a real wheel, as in production, so its entries are in the figure.
        HashedWheelTimer wheel = new HashedWheelTimer(1, TimeUnit.SECONDS, 512);
        DialogModule module = new DialogModule(DialogSettings.defaults(), new SimpleMeterRegistry());
        StressShard shard = new StressShard(0, Runnable::run, timer, wheel, module, (message, flow, onFailure) -> { },
                invite -> DialogOptions.TRACK, branchFlow);
        long before = usedAfterGc();
        for (int i = 0; i < DIALOGS; i++) {
            StressCall call = new StressCall(i, "alice" + i, shard, callerFlow.get());
            call.invite();
            call.ringing();
            call.answer();
            call.ack();
            if (i % CALLS_PER_SECOND == CALLS_PER_SECOND - 1) {
                // Calls arrive over time, so transactions end while later ones start, as in a
                // proxy under steady load; otherwise every transaction of the run would be alive
                // at once and the tables grown for them would count as dialog memory.
                timer.advance(Duration.ofSeconds(1));
            }
        }
        // Transactions end within 64*T1; Timer C (180 s) entries leave the queue once due.
        timer.advance(TransactionSettings.DEFAULTS.timerC().plus(Duration.ofSeconds(10)));
        long after = usedAfterGc();

        assertEquals(0, shard.layer.activeTransactions(), "every INVITE transaction ended");
        assertEquals(0, shard.trackedTransactions(), "the tracker forgot every transaction");
        assertEquals(DIALOGS, module.size());
        assertEquals(DIALOGS, module.activeCount());
        assertEquals(0, timer.queued(), "no transaction timer left");
        assertEquals(DialogState.CONFIRMED, shard.tracker.dialogs().get(0).state());
        long perDialog = (after - before) / DIALOGS;
        System.out.printf("DialogHeapTest: %d confirmed dialogs (%s): retained %d bytes per dialog%n",
                DIALOGS, variant, perDialog);
        Reference.reachabilityFence(shard);
        Reference.reachabilityFence(module);
        Reference.reachabilityFence(timer);
        // stop() hands back the live entries alone: pendingTimeouts() also counts entries cancelled
        // (a lifetime replaced on confirmation) until the wheel's next tick, which on a slow box
        // left 894 of them in it at the check
        assertEquals(DIALOGS, wheel.stop().size(), "one lifetime entry per dialog");
        return perDialog;
    }

    /** As a datagram's sender: a new address object for every INVITE. */
    private static Flow freshCallerFlow() {
        try {
            InetAddress host = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            return new Flow(TransportKind.UDP, StressCall.PROXY, new InetSocketAddress(host, StressCall.UAC.getPort()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Used heap after a few full collections (the least seen); bounded, no sleeping. */
    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
