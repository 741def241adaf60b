package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.recordroute.LocalInterface;
import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ManualTimer;
import dev.sipedge.transaction.RecordingTransport;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transaction.TransactionUser;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard of a dialog-tracking proxy without sockets: the real transaction layer on a manual
 * timer and a recording transport, a direct executor, and the dialog tracker registered as the
 * layer's listener, so responseSent / responseReceived / transactionEnded are the real ones. The
 * test plays the proxy core: it decides what to create, forward and relay ({@link Call}).
 * The proxy listens on 127.0.0.1:5060 (UDP); the caller is 127.0.0.1:5061, callees :5070 and :5072.
 */
final class DialogHarness {
    static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 5060);
    static final InetSocketAddress UAC = new InetSocketAddress("127.0.0.1", 5061);
    static final InetSocketAddress UAS = new InetSocketAddress("127.0.0.1", 5070);
    static final InetSocketAddress UAS2 = new InetSocketAddress("127.0.0.1", 5072);
    static final LocalInterface IFACE = new LocalInterface("127.0.0.1", 5060, "udp");
    static final LocalIdentity IDENTITY = new LocalIdentity(List.of(IFACE));
    /** 64*T1 with default timers: every linger timer (H, J, L, M, D) has run out after it. */
    static final Duration LINGER = Duration.ofSeconds(33);

    final ManualTimer timer = new ManualTimer();
    final RecordingTransport wire = new RecordingTransport();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DialogModule module;
    final DialogTracker tracker;
    final TransactionLayer layer;
    final LooseRouter router = new LooseRouter(IDENTITY);
    final RecordRouter recordRouter = new RecordRouter();
    /** Requests the TU received (server transactions), in order. */
    final List<ServerTransaction> serverTxs = new ArrayList<>();
    /** What {@link DialogTracker#onAck} returned for each ACK without transaction (the shift of the relayed ACK). */
    final List<Long> ackShifts = new ArrayList<>();

    DialogHarness() {
        this(settings());
    }

    DialogHarness(DialogSettings settings) {
        this(settings, null);
    }

    /** Another shard of {@code first}'s module (its own transaction layer and timer; counters stay in {@code first}). */
    static DialogHarness secondShard(DialogHarness first) {
        return new DialogHarness(null, first);
    }

    private DialogHarness(DialogSettings settings, DialogHarness first) {
        module = first == null ? new DialogModule(settings, registry) : first.module;
        tracker = module.newTracker(Runnable::run, timer, IDENTITY, () -> timer.now().toNanos());
        layer = new TransactionLayer(TransactionSettings.DEFAULTS, timer, timer::nanoTime, Runnable::run, wire, new User());
        layer.addListener(tracker);
        tracker.useOwnRequests(layer::sentByUs);
    }

    /** Module defaults with a fixed node id. */
    static DialogSettings settings() {
        return new DialogSettings("n1", "did", MatchMode.DID_FALLBACK, false, Duration.ofHours(12), true, Duration.ZERO,
                true, List.of(), List.of());
    }

    static Flow flow(InetSocketAddress remote) {
        return new Flow(TransportKind.UDP, PROXY, remote);
    }

    /** Our Record-Route / Route URI carrying {@code params}. */
    static String ourUri(RouteParams params) {
        return RecordRouter.recordRouteUri(IFACE, params).toString();
    }

    /** The caller's initial INVITE arrives and the proxy tracks it with {@code options}. */
    Call call(SIPRequest invite, DialogOptions options) {
        ServerTransaction tx = receive(invite, UAC);
        return new Call(this, invite, tx, tracker.create(tx, invite, options));
    }

    /** As {@link #call(SIPRequest, DialogOptions)}, the INVITE coming from {@code from}. */
    Call call(SIPRequest invite, DialogOptions options, InetSocketAddress from) {
        ServerTransaction tx = receive(invite, from);
        return new Call(this, invite, tx, tracker.create(tx, invite, options));
    }

    Call call(String callId) {
        return call(Msgs.invite(callId).build(), DialogOptions.TRACK);
    }

    /** What the proxy did with an in-dialog request. */
    record Seq(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing,
               Sequential result) {
        /** The dialog it was matched to; fails the test when it was not. */
        Dialog dialog() {
            return matched().dialog();
        }

        Sequential.Matched matched() {
            return assertInstanceOf(Sequential.Matched.class, result, "matched to a dialog");
        }

        Refusal refusal() {
            return assertInstanceOf(Refusal.class, result, "refused");
        }

        boolean unmatched() {
            return result instanceof Sequential.Unmatched;
        }

        /** Answers it (as relayed from the other side) with {@code status}. */
        SIPResponse respond(int status, String contact, String sdp) {
            SIPResponse r = Msgs.response(request, status).contact(contact).sdp(sdp).build();
            tx.respond(r);
            return r;
        }

        SIPResponse respond(int status) {
            return respond(status, null, null);
        }
    }

    /** A request with a To tag arrives from {@code from}: loose routing, then the tracker. */
    Seq sequential(SIPRequest request, InetSocketAddress from) {
        ServerTransaction tx = receive(request, from);
        RoutePreprocessResult routing = router.preprocess(request);
        return new Seq(tx, request, routing, tracker.onSequentialRequest(tx, request, routing));
    }

    /** An ACK for a 2xx arrives (no transaction matches it; the TU hands it to the tracker). */
    void ack(SIPRequest ack, InetSocketAddress from) {
        int before = serverTxs.size();
        layer.receive(ack, flow(from));
        if (serverTxs.size() != before) {
            throw new AssertionError("an ACK created a server transaction");
        }
    }

    private ServerTransaction receive(SIPRequest request, InetSocketAddress from) {
        int before = serverTxs.size();
        layer.receive(request, flow(from));
        if (serverTxs.size() != before + 1) {
            throw new AssertionError("no new server transaction for " + request.getFirstLine());
        }
        return serverTxs.get(serverTxs.size() - 1);
    }

    void advance(Duration d) {
        timer.advance(d);
    }

    double counter(String name) {
        return registry.get(name).counter().count();
    }

    double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    double profileGauge(String profile) {
        return registry.get("sipedge_dialog_profile_size").tag("profile", profile).gauge().value();
    }

    /** Initial-INVITE branches the dialog module still ties to a dialog. */
    int observedBranches() {
        return tracker.transactions.inviteBranches.size();
    }

    /** The TU side of the layer: records server transactions; hands 2xx ACKs to the tracker. */
    private final class User implements TransactionUser {
        @Override
        public void onRequest(ServerTransaction tx, SIPRequest request) {
            serverTxs.add(tx);
        }

        @Override
        public void onAckWithoutTransaction(SIPRequest ack, Flow flow) {
            ackShifts.add(tracker.onAck(ack, router.preprocess(ack)));
        }

        @Override
        public void onStrayResponse(SIPResponse response, Flow flow) {
            // Responses to branches already over: nothing for the dialog.
        }
    }
}
