package dev.sipedge.proxy;

import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.Transaction;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransactionListener;
import dev.sipedge.transaction.TransactionUser;
import dev.sipedge.transport.ReceivedBytes;
import gov.nist.javax.sip.header.RetryAfter;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 3261 §16 stateful proxy for the calls of one shard: decides where each request goes
 * (route pre-processing §16.4, routing rules, Request-URI), starts the branches (§16.6) inside a
 * {@link ResponseContext}, answers CANCEL (§16.10), relays 2xx ACKs and stray 2xx responses
 * statelessly. Request validation (§16.3) already happened before the request reached the shard.
 */
public final class ProxyEngine implements TransactionUser {
    private static final Logger log = LoggerFactory.getLogger(ProxyEngine.class);
    private final ProxyServices services;
    private final Executor shard;
    private final RequestForwarder forwarder;
    private final StatelessRelay stateless;
    /** The shard's dialogs ({@link DialogHook#NONE} without dialog tracking). */
    private final DialogHook dialogs;
    /** Closed during a graceful stop: new initial requests get 503. */
    private final DrainGate gate;
    private final UpstreamRelay upstream;
    private final OutboundFlows flows = new OutboundFlows();
    private TransactionLayer layer;
    private Cancels cancels;

    /**
     * @param dialogs the shard's dialog hook ({@link DialogHook#NONE} without dialog tracking)
     * @param gate    closed by a graceful stop (shared by every shard)
     */
    public ProxyEngine(ProxyServices services, Executor shard, DialogHook dialogs, DrainGate gate) {
        this.services = services;
        this.shard = shard;
        this.dialogs = dialogs;
        this.gate = gate;
        this.forwarder = new RequestForwarder(services.recordRouter(), services.branches());
        this.stateless = new StatelessRelay(services, forwarder, shard, dialogs);
        this.upstream = new UpstreamRelay(dialogs, services.metrics(), services.interfaces());
    }

    /** An engine that is never drained (tests, warm-up). */
    public ProxyEngine(ProxyServices services, Executor shard, DialogHook dialogs) {
        this(services, shard, dialogs, new DrainGate());
    }

    /** An engine without dialog tracking. */
    public ProxyEngine(ProxyServices services, Executor shard) {
        this(services, shard, DialogHook.NONE);
    }

    /**
     * Connects the engine to its shard's transaction layer (they refer to each other), and the
     * shard's dialogs to the layer's events.
     */
    public void bind(TransactionLayer transactionLayer) {
        this.layer = transactionLayer;
        this.cancels = new Cancels(transactionLayer, services.timer(), shard,
                services.transactionSettings().sixtyFourT1());
        dialogs.attach(transactionLayer, new DialogRequestDispatcher(services, transactionLayer, shard, cancels));
        transactionLayer.addListener(new TransactionListener() {
            @Override
            public void transactionEnded(Transaction tx, EndReason reason) {
                // Upstream is gone (its connection failed): nobody can take an answer, stop the callees ringing.
                if (reason == EndReason.TRANSPORT_ERROR && tx instanceof ServerTransaction
                        && tx.attachment() instanceof ResponseContext context) {
                    context.cancel();
                }
            }
        });
    }

    @Override
    public void onRequest(ServerTransaction tx, SIPRequest request) {
        String method = request.getMethod();
        if (method.equals("CANCEL")) {
            onCancel(tx, request);
            return;
        }
        if (request.getToTag() == null && !method.equals("ACK") && !gate.admitsNewRequests()) {
            refuseWhileDraining(tx, request);
            return;
        }
        if (method.equals("OPTIONS") && isAddressedToUs(request)) {
            respond(tx, localResponse(request, 200, "OK"));
            return;
        }
        if (services.branches().isLoop(request, services.interfaces()::isOurVia)) {
            respond(tx, localResponse(request, 482, "Loop Detected"));   // §16.3 step 4 (483 is Too Many Hops)
            return;
        }
        if (method.equals("INVITE")) {
            respond(tx, localResponse(request, 100, "Trying"));
        }
        RoutePreprocessResult routing = services.looseRouter().preprocess(request);
        if (routing.strictRouterFixed()) {
            ReceivedBytes.forget(request);     // a new Request-URI: the received request line is not it
        }
        if (request.getToTag() != null) {
            routeSequential(tx, request, routing);
        } else {
            routeInitial(tx, request);
        }
    }

    private void routeSequential(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing) {
        URI destination = topRoute(request);
        if (destination == null && (routing.ourRouteRemoved() || routing.strictRouterFixed())) {
            destination = request.getRequestURI();
        }
        if (destination == null) {
            respond(tx, localResponse(request, 481, "Call/Transaction Does Not Exist"));
            return;
        }
        if (dialogs.sequential(tx, request, routing) instanceof DialogHook.Refuse refuse) {
            respond(tx, localResponse(request, refuse.status(), refuse.reason()));
            return;
        }
        forward(tx, request, List.of(destination), false, RouteParams.EMPTY);
    }

    private void routeInitial(ServerTransaction tx, SIPRequest request) {
        boolean recordRoute = !request.getMethod().equals("REGISTER");
        URI preloaded = topRoute(request);
        if (preloaded != null) {
            forward(tx, request, List.of(preloaded), recordRoute, RouteParams.EMPTY);
            return;
        }
        RouteTable table = services.routes().current();   // once: rule and next hops from the same table
        Optional<RouteRule> rule = table.router().route(request);
        if (rule.isEmpty() && services.interfaces().identity().isOurs(request.getRequestURI())) {
            respond(tx, localResponse(request, 404, "Not Found"));
            return;
        }
        DialogHook.Verdict verdict = trackDialog(tx, request, rule.map(RouteRule::dialog).orElse(DialogOptions.NONE));
        if (verdict instanceof DialogHook.Refuse refuse) {
            respond(tx, localResponse(request, refuse.status(), refuse.reason()));
            return;
        }
        List<URI> destinations = rule.isPresent() ? table.nextHopsOf(rule.get()) : List.of(request.getRequestURI());
        forward(tx, request, destinations, recordRoute, ((DialogHook.Relay) verdict).recordRouteParams());
    }

    /**
     * A graceful stop is under way: a new call (or any initial request, liveness OPTIONS included,
     * so load balancers take us out) gets 503 with Retry-After and goes to another server.
     */
    private void refuseWhileDraining(ServerTransaction tx, SIPRequest request) {
        SIPResponse response = localResponse(request, 503, "Service Unavailable");
        RetryAfter retryAfter = new RetryAfter();
        try {
            retryAfter.setRetryAfter(gate.retryAfterSeconds());
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException("Retry-After out of range: " + gate.retryAfterSeconds(), e);
        }
        response.setHeader(retryAfter);
        respond(tx, response);
    }

    /**
     * Lets the dialog module track an initial INVITE before any branch exists, so the cookie is in
     * every branch's Record-Route; other initial requests are relayed without one.
     */
    private DialogHook.Verdict trackDialog(ServerTransaction tx, SIPRequest request, DialogOptions configured) {
        if (!request.getMethod().equals("INVITE")) {
            return DialogHook.Relay.PLAIN;
        }
        return dialogs.initialInvite(tx, request, configured);
    }

    private void forward(ServerTransaction tx, SIPRequest request, List<URI> destinations, boolean recordRoute,
                         RouteParams params) {
        ResponseContext context = new ResponseContext(upstream, cancels, tx, request, destinations.size());
        tx.attach(context);
        Flow inbound = tx.flow();
        for (int i = 0; i < destinations.size(); i++) {
            int index = i;
            CompletableFuture<Target> target = services.resolver().resolve(destinations.get(i));
            if (target.isDone()) {
                startBranchSafely(context, index, inbound, target, recordRoute, params, destinations.size() > 1);
            } else {
                target.whenCompleteAsync((t, e) -> startBranchSafely(context, index, inbound, target, recordRoute,
                        params, destinations.size() > 1), shard);
            }
        }
    }

    /** A branch that cannot start for any reason counts as 500, so the context still ends (no leak). */
    private void startBranchSafely(ResponseContext context, int index, Flow inbound, CompletableFuture<Target> future,
                                   boolean recordRoute, RouteParams params, boolean forking) {
        try {
            startBranch(context, index, inbound, future, recordRoute, params, forking);
        } catch (RuntimeException e) {
            log.warn("branch {} of Call-ID {} could not start: {}", index,
                    context.original() == null ? "?" : context.original().getCallId().getCallId(), e.toString());
            context.targetFailed(500, "Server Internal Error");
        }
    }

    private void startBranch(ResponseContext context, int index, Flow inbound, CompletableFuture<Target> future,
                             boolean recordRoute, RouteParams params, boolean forking) {
        Target target = future.isCompletedExceptionally() ? null : future.join();
        if (target == null) {
            context.targetFailed(404, "Not Found");
            return;
        }
        if (!context.acceptsBranches()) {
            context.targetFailed(487, "Request Terminated");
            return;
        }
        LocalInterfaces.Listener outbound = services.interfaces().outbound(target.transport());
        if (outbound == null) {
            context.targetFailed(503, "Transport Not Available");
            return;
        }
        SIPRequest original = context.original();
        // One copy per branch: the original stays as received for local responses and the branch hash.
        SIPRequest copy = BranchCopy.of(original);
        forwarder.prepare(copy, original, index, services.interfaces().inbound(inbound), outbound,
                recordRoute, params);
        dialogs.beforeForward(context.server(), copy);
        Flow flow = flows.shared(new Flow(target.transport(), outbound.bound(), target.address()));
        Branch branch = new Branch(context, index, copy, flow);
        context.branchStarted(branch);
        try {
            branch.tx = layer.sendRequest(copy, flow, branch);
        } catch (RuntimeException e) {
            // e.g. a branch value the layer refuses: this branch answers 500, the others go on
            log.warn("branch {} of Call-ID {} not sent: {}", index, original.getCallId().getCallId(), e.toString());
            context.branchFailed(branch, 500, "Server Internal Error");
        }
        if (forking) {
            log.debug("forked Call-ID {} branch {} to {}", original.getCallId().getCallId(), index, target);
        }
    }

    private void onCancel(ServerTransaction tx, SIPRequest cancel) {
        ServerTransaction invite = layer.findInviteForCancel(cancel);
        if (invite == null && layer.settledInvite(cancel)) {
            // Answered with a 2xx and settled: nothing to cancel, but the CANCEL crossed the 2xx.
            respond(tx, localResponse(cancel, 200, "OK"));
            dialogs.onSettledCancel(cancel);
            return;
        }
        if (invite == null && layer.confirmedInvite(cancel)) {
            // Failed, and its ACK came (§9.2: the CANCEL found its transaction): nothing to cancel,
            // and the failure ended the dialog already.
            respond(tx, localResponse(cancel, 200, "OK"));
            return;
        }
        if (invite == null) {
            respond(tx, localResponse(cancel, 481, "Call/Transaction Does Not Exist"));
            return;
        }
        respond(tx, localResponse(cancel, 200, "OK"));
        dialogs.onCancel(invite);
        if (invite.attachment() instanceof ResponseContext context) {
            context.cancel();
        }
    }

    @Override
    public void onAckWithoutTransaction(SIPRequest ack, Flow flow) {
        stateless.relayAck(ack, flow);
    }

    @Override
    public void onStrayResponse(SIPResponse response, Flow flow) {
        stateless.relayStrayResponse(response);
    }

    /** True when the request names us with no user part: a liveness OPTIONS (DESIGN.md). */
    private boolean isAddressedToUs(SIPRequest request) {
        return request.getRequestURI() instanceof SipURI uri && uri.getUser() == null
                && services.interfaces().identity().isOurs(uri);
    }

    static URI topRoute(SIPRequest request) {
        RouteList routes = request.getRouteHeaders();
        if (routes == null || routes.isEmpty()) {
            return null;
        }
        Route top = (Route) routes.getFirst();
        return top.getAddress().getURI();
    }

    private void respond(ServerTransaction tx, SIPResponse response) {
        upstream.respond(tx, response);
    }

    private static SIPResponse localResponse(SIPRequest request, int status, String reason) {
        return LocalResponses.create(request, status, reason);
    }
}
