package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.sipedge.SipEdge;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.Dialog;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.DialogTracker;
import dev.sipedge.proxy.LocalInterfaces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ending a call through the Java API ({@code DialogModule.end(callId)}) of a sipedge started in
 * this JVM, with SIPp as caller and callee (scripts/sipp/dialog-api-end). A confirmed call: the
 * proxy sends BYE to both legs, which answer 200 (the scenarios check Request-URI, tags, CSeq and
 * Reason). An early call (the callee rings and waits): the proxy CANCELs the callee's branch, the
 * callee answers 200 and 487, and the caller gets the 487 and ACKs it. Either way the future
 * reports one dialog ended, a second end finds nothing, and the dialog gauges and table read 0.
 */
@Tag("e2e")
class DialogApiEndE2ETest {

    private static final Duration UAC_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration UAS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 60)
    void endingAConfirmedCallByesBothLegs() throws Exception {
        Path work = E2eEnvironment.newWorkDir("dialog-api-end");
        int uasPort = FreePorts.udpAndTcp();
        try (SipEdge edge = startEdge(uasPort);
                SippPair pair = SippPair.start(work, "dialog-api-end", "uac.xml", sipAddress(edge), uasPort,
                        options(), UAS_TIMEOUT)) {
            String callId = awaitDialog(edge, DialogState.CONFIRMED);

            assertEquals(1, edge.dialogs().end(callId).get(BOUND.toSeconds(), TimeUnit.SECONDS),
                    "dialogs ended for Call-ID " + callId);

            SippPair.Ended ended = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(10), UAS_TIMEOUT.plusSeconds(5));
            ended.assertAllSucceeded(1, () -> dialogState(edge));
            awaitNoDialogs(edge);
            assertEquals(0, edge.dialogs().end(callId).get(BOUND.toSeconds(), TimeUnit.SECONDS),
                    "a second end of " + callId + " found a dialog");
            assertEquals(Map.of("ended{operator}", 1.0, "bye sent", 2.0),
                    Map.of("ended{operator}", counter(edge, "sipedge_dialogs_ended", "cause", "operator"),
                            "bye sent", counter(edge, "sipedge_dialog_requests_sent", "kind", "bye")),
                    dialogState(edge));
        }
    }

    @Test
    @Timeout(value = 60)
    void endingAnEarlyCallCancelsTheCalleeAndAnswersTheCaller487() throws Exception {
        Path work = E2eEnvironment.newWorkDir("dialog-api-end-early");
        int uasPort = FreePorts.udpAndTcp();
        try (SipEdge edge = startEdge(uasPort);
                SippPair pair = SippPair.start(work, "dialog-api-end", "uac-early.xml", sipAddress(edge), uasPort,
                        options().service("early"), UAS_TIMEOUT)) {
            String callId = awaitDialog(edge, DialogState.EARLY);

            assertEquals(1, edge.dialogs().end(callId).get(BOUND.toSeconds(), TimeUnit.SECONDS),
                    "dialogs ended for Call-ID " + callId);

            SippPair.Ended ended = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(10), UAS_TIMEOUT.plusSeconds(5));
            ended.assertAllSucceeded(1, () -> dialogState(edge));
            awaitNoDialogs(edge);
            assertEquals(0, edge.dialogs().end(callId).get(BOUND.toSeconds(), TimeUnit.SECONDS),
                    "a second end of " + callId + " found a dialog");
            assertEquals(0.0, counter(edge, "sipedge_dialog_requests_sent", "kind", "bye"),
                    "an early dialog got BYEs\n" + dialogState(edge));
        }
    }

    /** A sipedge on an ephemeral UDP port whose only route tracks dialogs and sends to the SIPp UAS. */
    private static SipEdge startEdge(int uasPort) throws InterruptedException {
        String hocon = """
                sipedge {
                  listen = ["udp:127.0.0.1:0"]
                  routes = [ { next-hop = "sip:127.0.0.1:%d;transport=udp", dialog { track = true } } ]
                  workers = 2
                  transport { io-threads = 2 }
                  warmup { calls = 0 }
                  metrics { listen = "127.0.0.1:0" }
                  management { listen = "127.0.0.1:0" }
                  # SIPp's timers (T1 = 500 ms) and a short T4
                  transaction { t1 = 500ms, t2 = 4s, t4 = 1s }
                }
                """.formatted(uasPort);
        return SipEdge.start(ProxySettings.from(
                ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve()));
    }

    private static String sipAddress(SipEdge edge) {
        for (LocalInterfaces.Listener l : edge.interfaces().listeners()) {
            if (l.transport().name().equals("UDP")) {
                return "127.0.0.1:" + l.bound().getPort();
            }
        }
        throw new IllegalStateException("no UDP listener: " + edge.describeListeners());
    }

    private static SippProcess.Options options() {
        return new SippProcess.Options().calls(1).timeout(UAC_TIMEOUT).traceMessages(true);
    }

    /** A dialog as seen on its shard. */
    private record Seen(String callId, DialogState state) {
    }

    /** Every dialog of every shard, each read on its shard's executor. */
    private static List<Seen> dialogs(SipEdge edge) {
        List<Seen> out = new ArrayList<>();
        for (DialogTracker tracker : edge.dialogs().trackers()) {
            try {
                out.addAll(CompletableFuture.supplyAsync(() -> {
                    List<Seen> mine = new ArrayList<>();
                    for (Dialog d : tracker.dialogs()) {
                        mine.add(new Seen(d.callId(), d.state()));
                    }
                    return mine;
                }, tracker.executor()).get(BOUND.toSeconds(), TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot read the dialogs of a shard", e);
            }
        }
        return out;
    }

    /** Waits for the only dialog to reach {@code state}; returns its Call-ID. */
    private static String awaitDialog(SipEdge edge, DialogState state) {
        awaitTrue(() -> {
            List<Seen> seen = dialogs(edge);
            return seen.size() == 1 && seen.get(0).state() == state;
        }, () -> "one dialog in state " + state);
        return dialogs(edge).get(0).callId();
    }

    /** Waits until no dialog is active, early, or left in a table (the BYE or CANCEL transactions ended). */
    private static void awaitNoDialogs(SipEdge edge) {
        awaitTrue(() -> gauge(edge, "sipedge_dialogs_active") == 0 && gauge(edge, "sipedge_dialogs_early") == 0
                && edge.dialogs().size() == 0, () -> "no dialog left");
    }

    /** Polls {@code condition} every 50 ms from a scheduler; fails after {@link #BOUND}. */
    private static void awaitTrue(BooleanSupplier condition, Supplier<String> what) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> done = new CompletableFuture<>();
        poller.scheduleWithFixedDelay(() -> {
            try {
                if (condition.getAsBoolean()) {
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        try {
            done.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("within " + BOUND.toMillis() + " ms: not " + what.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            poller.shutdownNow();
        }
    }

    private static double gauge(SipEdge edge, String name) {
        Gauge g = edge.registry().find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private static double counter(SipEdge edge, String name, String tag, String value) {
        Counter c = edge.registry().find(name).tag(tag, value).counter();
        return c == null ? Double.NaN : c.count();
    }

    private static String dialogState(SipEdge edge) {
        return "--- proxy: dialogs " + dialogs(edge) + ", active " + gauge(edge, "sipedge_dialogs_active")
                + ", early " + gauge(edge, "sipedge_dialogs_early") + ", in tables " + edge.dialogs().size();
    }
}
