package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sip.SipException;
import javax.sip.header.ViaHeader;

/**
 * One call through the {@link DialogHarness} proxy, the test playing the proxy core: the initial
 * INVITE's server transaction and the tracker's decision, the branches it forwards to, and
 * builders for the in-dialog requests each side sends.
 */
final class Call {
    final DialogHarness h;
    final SIPRequest invite;
    final ServerTransaction serverTx;
    final Creation creation;
    private final Map<InetSocketAddress, SIPRequest> forwarded = new LinkedHashMap<>();
    private final Map<InetSocketAddress, ClientTransaction> branches = new LinkedHashMap<>();
    /** Responses the branches reported to their owner, in order. */
    final List<SIPResponse> received = new ArrayList<>();
    /** The last response relayed to the caller. */
    SIPResponse lastRelayed;
    private final String inviteBranch;
    private final String fromUri;
    private final String toUri;
    private final String callerContact;
    private long callerCseq;
    private long calleeCseq = 100;
    private int branchSeq;

    Call(DialogHarness h, SIPRequest invite, ServerTransaction serverTx, Creation creation) {
        this.h = h;
        this.invite = invite;
        this.serverTx = serverTx;
        this.creation = creation;
        this.inviteBranch = invite.getTopmostVia().getBranch();
        this.fromUri = invite.getFrom().getAddress().getURI().toString();
        this.toUri = invite.getTo().getAddress().getURI().toString();
        this.callerContact = LegData.contact(invite);
        this.callerCseq = invite.getCSeq().getSeqNumber();
    }

    /** The dialog the INVITE created or joined; fails the test when it was refused. */
    Dialog dialog() {
        return tracked().dialog();
    }

    Creation.Tracked tracked() {
        return assertInstanceOf(Creation.Tracked.class, creation, "the INVITE is tracked");
    }

    Refusal refusal() {
        return assertInstanceOf(Refusal.class, creation, "the INVITE is refused");
    }

    String callId() {
        return invite.getCallId().getCallId();
    }

    static String contactOf(InetSocketAddress uas) {
        return "sip:bob@127.0.0.1:" + uas.getPort();
    }

    /** Forwards the INVITE to each callee (a fork with more than one), with our Record-Route and cookie. */
    Call forward(InetSocketAddress... callees) {
        for (InetSocketAddress uas : callees) {
            String text = invite.encode();
            int eol = text.indexOf("\r\n");
            String branch = "z9hG4bK-px-" + inviteBranch + "-" + (++branchSeq);
            SIPRequest fwd = (SIPRequest) Msgs.parse(text.substring(0, eol + 2)
                    + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch + "\r\n" + text.substring(eol + 2));
            h.recordRouter.addRecordRoute(fwd, DialogHarness.IFACE, tracked().recordRouteParams());
            forwarded.put(uas, fwd);
            branches.put(uas, h.layer.sendRequest(fwd, DialogHarness.flow(uas), new ClientTransaction.Listener() {
                @Override
                public void onResponse(ClientTransaction tx, SIPResponse response) {
                    received.add(response);
                }

                @Override
                public void onTimerC(ClientTransaction tx) {
                    tx.abandon();   // a real proxy would CANCEL; ending the branch is enough here
                }

                @Override
                public void onTerminated(ClientTransaction tx, EndReason reason) {
                    // nothing to clean up: the harness keeps no per-branch state that outlives the test
                }
            }));
        }
        return this;
    }

    /** The INVITE as sent to {@code uas} (for building its responses). */
    SIPRequest forwardedTo(InetSocketAddress uas) {
        SIPRequest fwd = forwarded.get(uas);
        if (fwd == null) {
            throw new AssertionError("not forwarded to " + uas);
        }
        return fwd;
    }

    /** A response of {@code uas} to its branch, Contact preset to the callee's address. */
    Msgs.Resp answer(InetSocketAddress uas, int status, String toTag) {
        return Msgs.response(forwardedTo(uas), status).toTag(toTag).contact(status < 300 ? contactOf(uas) : null);
    }

    /** {@code uas} answers and the proxy relays the response to the caller. */
    SIPResponse respond(InetSocketAddress uas, int status, String toTag) {
        return receive(uas, answer(uas, status, toTag).build(), true);
    }

    /** {@code uas} answers; the proxy keeps the response (e.g. a fork's failure while others ring). */
    SIPResponse respondNotRelayed(InetSocketAddress uas, int status, String toTag) {
        return receive(uas, answer(uas, status, toTag).build(), false);
    }

    /** The response arrives on {@code uas}'s branch; when {@code relay}, it goes upstream without our Via. */
    SIPResponse receive(InetSocketAddress uas, SIPResponse response, boolean relay) {
        int before = received.size();
        h.layer.receive(response, DialogHarness.flow(uas));
        if (relay && received.size() > before) {
            SIPResponse upstream = (SIPResponse) Msgs.parse(response.encode());
            upstream.removeFirst(ViaHeader.NAME);
            lastRelayed = upstream;
            serverTx.respond(upstream);
        }
        return response;
    }

    /** The proxy answers the INVITE itself (no branch involved). */
    SIPResponse respondLocally(int status, String toTag) {
        SIPResponse r = Msgs.response(invite, status).toTag(toTag).build();
        serverTx.respond(r);
        return r;
    }

    /** The caller cancels: CANCEL arrives and is answered 200 (the proxy then cancels the branches). */
    void cancel() {
        try {
            SIPRequest cancel = (SIPRequest) Msgs.parse(invite.createCancelRequest().encode());
            h.layer.receive(cancel, DialogHarness.flow(DialogHarness.UAC));
            if (h.layer.findInviteForCancel(cancel) != serverTx) {
                throw new AssertionError("CANCEL does not match the INVITE");
            }
            ServerTransaction cancelTx = h.serverTxs.get(h.serverTxs.size() - 1);
            cancelTx.respond(Msgs.response(cancel, 200).build());
        } catch (SipException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The caller's ACK for the 2xx of {@code calleeTag}. */
    void ack(String calleeTag) {
        h.ack(fromCaller("ACK", calleeTag).cseq(invite.getCSeq().getSeqNumber(), "ACK").build(), DialogHarness.UAC);
    }

    void ack() {
        ack(dialog().callee().tag());
    }

    /** Our Route entry as the UAs have it (from our Record-Route). */
    String ourRoute() {
        return DialogHarness.ourUri(tracked().recordRouteParams());
    }

    /** A request of the caller toward the callee leg {@code calleeTag}, with the dialog's route set and next CSeq. */
    Msgs.Req fromCaller(String method, String calleeTag) {
        Leg callee = dialog().calleeLeg(calleeTag);
        Msgs.Req r = Msgs.request(method).callId(callId()).from(fromUri, dialog().callerTag()).to(toUri, calleeTag)
                .cseq(++callerCseq).via("127.0.0.1:5061", null).route(ourRoute())
                .requestUri(callee != null && callee.remoteTarget() != null ? callee.remoteTarget() : "sip:bob@127.0.0.1");
        if (callee != null) {
            callee.routeSet().forEach(r::route);
        }
        return r;
    }

    Msgs.Req fromCaller(String method) {
        return fromCaller(method, dialog().callee().tag());
    }

    /** A request of the callee leg {@code calleeTag} toward the caller. */
    Msgs.Req fromCallee(String method, String calleeTag) {
        Msgs.Req r = Msgs.request(method).callId(callId()).from(toUri, calleeTag).to(fromUri, dialog().callerTag())
                .cseq(++calleeCseq).via("127.0.0.1:5070", null).route(ourRoute()).requestUri(callerContact);
        dialog().caller().routeSet().forEach(r::route);
        return r;
    }

    Msgs.Req fromCallee(String method) {
        return fromCallee(method, dialog().callee().tag());
    }

    /** The caller's BYE, relayed and answered 200. */
    DialogHarness.Seq callerBye() {
        DialogHarness.Seq s = h.sequential(fromCaller("BYE").build(), DialogHarness.UAC);
        s.respond(200);
        return s;
    }

    DialogHarness.Seq calleeBye() {
        DialogHarness.Seq s = h.sequential(fromCallee("BYE").build(), DialogHarness.UAS);
        s.respond(200);
        return s;
    }

    /** Forward to UAS, 180 and 200 with tag {@code b1} relayed, ACKed: a confirmed call. */
    Call establish() {
        forward(DialogHarness.UAS);
        respond(DialogHarness.UAS, 180, "b1");
        respond(DialogHarness.UAS, 200, "b1");
        ack("b1");
        return this;
    }
}
