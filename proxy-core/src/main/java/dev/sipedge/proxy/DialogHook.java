package dev.sipedge.proxy;

import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogRequestSender;
import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.TransactionLayer;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * Everything the proxy engine asks of the dialog module, for one shard. The engine calls it at
 * fixed points of §16 and never looks at a dialog itself; {@link #NONE} stands in when the proxy
 * runs without dialog tracking, so the engine has no "is there a dialog module" branches.
 *
 * <p>Whatever a dialog needs changed in a relayed message (the CSeq shift of re-INVITE pings,
 * RFC 3261 §12.2.1.1 seen from the proxy) is applied here, in {@link #beforeForward},
 * {@link #beforeRelayUpstream}, {@link #beforeRelayStray} and {@link #onAck}; the engine only
 * carries the messages.
 */
public interface DialogHook {
    /** What the dialog module decided about a request before the proxy relays it. */
    sealed interface Verdict permits Relay, Refuse {
    }

    /**
     * Relay the request; {@code recordRouteParams} go into our Record-Route (the did cookie of a
     * tracked initial INVITE; empty otherwise).
     */
    record Relay(RouteParams recordRouteParams) implements Verdict {
        public static final Relay PLAIN = new Relay(RouteParams.EMPTY);
    }

    /** Answer the request here with {@code status} (a full profile, a forged in-dialog request...). */
    record Refuse(int status, String reason) implements Verdict {
    }

    /**
     * Connects the hook to its shard's transaction layer (responses and transaction ends feed the
     * dialogs) and gives the module its way of sending its own requests.
     */
    void attach(TransactionLayer layer, DialogRequestSender sender);

    /** An initial INVITE about to be relayed along {@code configured} (its route's dialog options). */
    Verdict initialInvite(ServerTransaction tx, SIPRequest invite, DialogOptions configured);

    /** A request with a To tag about to be relayed (our Route entry already removed). */
    Verdict sequential(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing);

    /** The copy of {@code tx}'s request about to go out on a branch. */
    void beforeForward(ServerTransaction tx, SIPRequest copy);

    /** A response about to be relayed upstream on {@code tx}. */
    void beforeRelayUpstream(ServerTransaction tx, SIPResponse response);

    /** An ACK for a 2xx about to be relayed, received on {@code inbound}. */
    void onAck(SIPRequest ack, RoutePreprocessResult routing, Flow inbound);

    /**
     * A 2xx to an INVITE that matched no transaction, about to be relayed upstream by its Via
     * (our Via already removed).
     */
    void beforeRelayStray(SIPResponse response);

    /** The caller CANCELled the initial INVITE of {@code invite}. */
    void onCancel(ServerTransaction invite);

    /**
     * The caller CANCELled an initial INVITE that was answered with a 2xx and whose transaction
     * has settled ({@link ServerTransaction#settle}): the dialog is found from the CANCEL itself.
     */
    void onSettledCancel(SIPRequest cancel);

    /** No dialog tracking: everything is relayed as it is. */
    DialogHook NONE = new DialogHook() {
        @Override
        public void attach(TransactionLayer layer, DialogRequestSender sender) {
        }

        @Override
        public Verdict initialInvite(ServerTransaction tx, SIPRequest invite, DialogOptions configured) {
            return Relay.PLAIN;
        }

        @Override
        public Verdict sequential(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing) {
            return Relay.PLAIN;
        }

        @Override
        public void beforeForward(ServerTransaction tx, SIPRequest copy) {
        }

        @Override
        public void beforeRelayUpstream(ServerTransaction tx, SIPResponse response) {
        }

        @Override
        public void onAck(SIPRequest ack, RoutePreprocessResult routing, Flow inbound) {
        }

        @Override
        public void beforeRelayStray(SIPResponse response) {
        }

        @Override
        public void onCancel(ServerTransaction invite) {
        }

        @Override
        public void onSettledCancel(SIPRequest cancel) {
        }
    };
}
