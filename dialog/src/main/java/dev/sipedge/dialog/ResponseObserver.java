package dev.sipedge.dialog;

import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * Turns the responses of a shard's transactions into dialog events:
 * <ul>
 * <li>responses <em>received</em> on the initial INVITE's branches give the callee legs (tag,
 *     Contact, route set, the flow of the branch), one per To tag, and drop a fork's leg when that
 *     fork fails;</li>
 * <li>responses <em>sent</em> upstream on the initial INVITE drive the state: what the caller is
 *     told is what the dialog is (1xx with tag: early, 2xx: answered, 3xx-6xx: failed);</li>
 * <li>2xx responses to re-INVITE and UPDATE refresh both legs' remote targets (RFC 3261 §12.2).</li>
 * </ul>
 * A received response is reported before it is relayed, so its leg exists when the state moves.
 */
final class ResponseObserver {
    private final DialogTable table;
    private final DialogTransactions transactions;
    private final DialogLifecycle lifecycle;
    private final DialogEvents events;
    private final LocalIdentity identity;

    ResponseObserver(DialogTable table, DialogTransactions transactions, DialogLifecycle lifecycle, DialogEvents events,
                     LocalIdentity identity) {
        this.table = table;
        this.transactions = transactions;
        this.lifecycle = lifecycle;
        this.events = events;
        this.identity = identity;
    }

    void branchCreated(ClientTransaction tx) {
        SIPRequest request = tx.request();
        if (!tx.isInvite() || request == null || request.getToTag() != null) {
            return;
        }
        String fromTag = request.getFromTag();
        long cseq = request.getCSeq().getSeqNumber();
        for (Dialog d = table.byCallId(request.getCallId().getCallId()); d != null; d = d.nextSameCallId) {
            if ((d.state == DialogState.UNCONFIRMED || d.state == DialogState.EARLY)
                    && d.caller().hasTag(fromTag) && d.inviteCseq() == cseq) {
                transactions.inviteBranch(tx, d);
                return;
            }
        }
    }

    /** @param source the flow the response arrived on: the callee's observed address; null: the branch's flow */
    void received(ClientTransaction tx, SIPResponse response, Flow source) {
        Dialog d = transactions.inviteBranchOf(tx);
        String tag = response.getToTag();
        if (d == null || tag == null || d.state == DialogState.ENDED && !lifecycle.crossedEarlyBye(d)) {
            return;
        }
        int status = response.getStatusCode();
        Leg leg = d.calleeLeg(tag);
        if (status >= 300) {
            if (leg != null && !leg.answered) {
                d.dropLeg(leg);     // this fork failed; the dialog lives on while others may answer
            }
            return;
        }
        if (status == 100) {
            return;
        }
        String contact = LegData.contact(response);
        if (leg == null) {
            leg = new Leg(tag, calleeUri(response), contact,
                    source != null ? source : tx.flow(), LegData.calleeRouteSet(response, identity));
            leg.sentTo(d.inviteCseq());
            if (d.inviteSdp != null) {
                leg.lastSdp(d.inviteSdp);
            }
            d.addCalleeLeg(leg);
        } else if (contact != null) {
            leg.remoteTarget(contact);
        }
        if (status >= 200 && !leg.routeSetFromSuccess) {
            // RFC 3261 §13.2.2.4: the 2xx fixes the route set, whatever the 1xx said. Only the first
            // report counts: in a spiral it comes from the pass nearest the callee.
            leg.routeSetFromSuccess = true;
            leg.routeSet(LegData.calleeRouteSet(response, identity));
        }
    }

    void sent(ServerTransaction tx, SIPResponse response) {
        Dialog d = transactions.initialInviteOf(tx);
        if (d != null) {
            initialResponse(d, response);
            return;
        }
        DialogTransactions.Within w = transactions.withinOf(tx);
        if (w != null) {
            responseWithin(w, response);
            if (response.getStatusCode() >= 200) {
                transactions.answered(tx);
            }
        }
    }

    private void initialResponse(Dialog d, SIPResponse response) {
        int status = response.getStatusCode();
        if (status == 100) {
            return;
        }
        if (d.state == DialogState.ENDED) {
            answeredAfterEarlyBye(d, response);
            return;
        }
        events.fire(d, "responseForwarded", l -> l.onResponseForwarded(d, response));
        if (status >= 300) {
            lifecycle.apply(d, DialogEvent.FAILURE, EndCause.FAILED, response);
            return;
        }
        String tag = response.getToTag();
        if (tag == null) {
            return;     // a provisional without tag creates no early dialog (RFC 3261 §12.1)
        }
        Leg leg = d.calleeLeg(tag);
        if (leg == null) {
            // Not seen on a branch (the response was made here): record what the response says.
            leg = new Leg(tag, calleeUri(response), LegData.contact(response), null,
                    LegData.calleeRouteSet(response, identity));
            d.addCalleeLeg(leg);
        }
        // The caller's SDP comes from the leg that is chosen, not from whichever fork spoke last.
        String sdp = LegData.pingSdp(d, d.caller(), response);
        if (status < 200) {
            if (sdp != null) {
                leg.earlySdp = sdp;
            }
            lifecycle.apply(d, DialogEvent.PROVISIONAL, null, response);
            return;
        }
        leg.answered = true;
        if (d.answered()) {
            return;     // a 2xx from another fork: its leg stays until the caller BYEs it
        }
        d.choose(leg);
        if (sdp != null || leg.earlySdp != null) {
            d.caller().lastSdp(sdp != null ? sdp : leg.earlySdp);
        }
        for (Leg l : d.calleeLegs()) {
            l.earlySdp = null;
        }
        lifecycle.apply(d, DialogEvent.SUCCESS, null, response);
    }

    /** RFC 5407 §3.2.2: the 2xx that crossed an early BYE; its leg is kept so both UAs can be BYEd. */
    private void answeredAfterEarlyBye(Dialog d, SIPResponse response) {
        int status = response.getStatusCode();
        String tag = response.getToTag();
        if (status < 200 || status >= 300 || tag == null || !lifecycle.crossedEarlyBye(d)) {
            return;
        }
        Leg leg = d.calleeLeg(tag);
        if (leg == null) {
            leg = new Leg(tag, calleeUri(response), LegData.contact(response), null,
                    LegData.calleeRouteSet(response, identity));
            d.addCalleeLeg(leg);
        }
        leg.answered = true;
        d.choose(leg);
        lifecycle.answeredAfterBye(d);
    }

    private void responseWithin(DialogTransactions.Within w, SIPResponse response) {
        Dialog d = w.dialog();
        int status = response.getStatusCode();
        if (status == 100 || d.destroyed) {
            return;
        }
        if (d.state != DialogState.ENDED) {
            LegData.keepPingSdp(d, w.requester(), response);
            if (status >= 200 && status < 300 && w.offer() != null) {
                w.responder().lastSdp(w.offer());
            }
            if (status >= 200 && status < 300) {
                // RFC 3261 §12.2.1.2 / §12.2.2: a successful target refresh updates both remote targets.
                if (w.requesterContact() != null) {
                    w.requester().remoteTarget(w.requesterContact());
                }
                String contact = LegData.contact(response);
                String method = response.getCSeq().getMethod();
                if (contact != null && (method.equals("INVITE") || method.equals("UPDATE"))) {
                    w.responder().remoteTarget(contact);
                }
                lifecycle.changed(d);
            }
        }
        events.fire(d, "responseWithin", l -> l.onResponseWithin(d, response));
    }

    /** The To URI of {@code response}: the callee leg's address of record. */
    private static String calleeUri(SIPResponse response) {
        return response.getTo().getAddress().getURI().toString();
    }
}
