package dev.sipedge.dialog;

import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransactionUser;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;

/**
 * The smallest stateful proxy that drives a {@link DialogTracker} as proxy-core does, on one
 * shard: it creates the dialog of an initial INVITE and relays it with our Record-Route (the did
 * cookie in it), loose-routes and relays in-dialog requests along the legs' flows, relays CANCEL
 * to the branch, relays the 2xx ACK statelessly, and relays every response of a branch to its
 * server transaction after popping its own Via. So the transaction layer reports to the tracker
 * exactly what it reports in production.
 */
final class StressProxy implements TransactionUser {
    static final String RECORD_ROUTE = "<sip:127.0.0.1:5060;lr";

    private static final ClientTransaction.Listener IGNORE = new ClientTransaction.Listener() {
        @Override
        public void onResponse(ClientTransaction tx, SIPResponse response) {
        }

        @Override
        public void onTerminated(ClientTransaction tx, EndReason reason) {
        }
    };

    private final LooseRouter router;
    private final Function<SIPRequest, DialogOptions> options;
    private final Supplier<Flow> downstream;
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private TransactionLayer layer;
    private DialogTracker tracker;
    /** Shard-confined tallies of what should never happen. */
    int unmatched;
    int strays;

    /**
     * @param options    the route's dialog block for an initial INVITE
     * @param downstream the flow of a new INVITE branch (toward the callee)
     */
    StressProxy(LooseRouter router, Function<SIPRequest, DialogOptions> options, Supplier<Flow> downstream) {
        this.router = router;
        this.options = options;
        this.downstream = downstream;
    }

    void bind(TransactionLayer transactions, DialogTracker dialogs) {
        this.layer = transactions;
        this.tracker = dialogs;
    }

    @Override
    public void onRequest(ServerTransaction tx, SIPRequest request) {
        if (request.getMethod().equals("CANCEL")) {
            cancel(tx, request);
        } else if (request.getToTag() != null) {
            sequential(tx, request);
        } else if (request.getMethod().equals("INVITE")) {
            initial(tx, request);
        } else {
            tx.respond(request.createResponse(405));
        }
    }

    private void initial(ServerTransaction tx, SIPRequest invite) {
        tx.respond(invite.createResponse(100));
        Creation c = tracker.create(tx, invite, options.apply(invite));
        if (!(c instanceof Creation.Tracked tracked)) {
            SIPResponse refusal = invite.createResponse(((Refusal) c).status());
            setToTag(refusal, "refused");
            tx.respond(refusal);
            return;
        }
        SIPRequest out = forward(invite);
        add(out, "Record-Route", RECORD_ROUTE + tracked.recordRouteParams() + ">");
        tx.attach(layer.sendRequest(out, downstream.get(), new Relay(tx)));
    }

    private void sequential(ServerTransaction tx, SIPRequest request) {
        RoutePreprocessResult routing = router.preprocess(request);
        Sequential verdict = tracker.onSequentialRequest(tx, request, routing);
        if (verdict instanceof Refusal refusal) {
            tx.respond(request.createResponse(refusal.status()));
            return;
        }
        if (!(verdict instanceof Sequential.Matched s)) {
            unmatched++;
            tx.respond(request.createResponse(481));
            return;
        }
        Dialog d = s.dialog();
        Flow toward = s.direction() == Direction.DOWNSTREAM ? d.callee().flow() : d.caller().flow();
        layer.sendRequest(forward(request), toward, new Relay(tx));
    }

    private void cancel(ServerTransaction tx, SIPRequest cancel) {
        tx.respond(cancel.createResponse(200));
        ServerTransaction invite = layer.findInviteForCancel(cancel);
        if (invite != null && invite.attachment() instanceof ClientTransaction branch && branch.request() != null) {
            try {
                layer.sendRequest((SIPRequest) branch.request().createCancelRequest(), branch.flow(), IGNORE);
            } catch (SipException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void onAckWithoutTransaction(SIPRequest ack, Flow flow) {
        tracker.onAck(ack, router.preprocess(ack));
        Flow toward = flow.remote().equals(StressCall.UAC) ? new Flow(flow.transport(), flow.local(), StressCall.UAS)
                : new Flow(flow.transport(), flow.local(), StressCall.UAC);
        layer.transport().send(forward(ack), toward, null);
    }

    @Override
    public void onStrayResponse(SIPResponse response, Flow flow) {
        strays++;
    }

    /** A copy of {@code request} with our Via on top (branch derived from the received one, as a stateful proxy may). */
    private SIPRequest forward(SIPRequest request) {
        SIPRequest out = (SIPRequest) request.clone();
        add(out, ViaHeader.NAME, "SIP/2.0/UDP 127.0.0.1:5060;branch=" + request.getTopmostVia().getBranch() + ".p");
        return out;
    }

    private void add(SIPRequest message, String name, String value) {
        try {
            Header h = headers.createHeader(name, value);
            message.addFirst(h);
        } catch (ParseException | SipException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setToTag(SIPResponse response, String tag) {
        try {
            response.getTo().setTag(tag);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Relays a branch's responses upstream through the server transaction, without our Via. */
    private static final class Relay implements ClientTransaction.Listener {
        private final ServerTransaction server;

        Relay(ServerTransaction server) {
            this.server = server;
        }

        @Override
        public void onResponse(ClientTransaction tx, SIPResponse response) {
            if (response.getStatusCode() == 100) {
                return;
            }
            SIPResponse out = (SIPResponse) response.clone();
            out.removeFirst(ViaHeader.NAME);
            server.respond(out);
        }

        @Override
        public void onTerminated(ClientTransaction tx, EndReason reason) {
        }
    }
}
