package dev.sipedge.dialog;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Sip;
import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;

/**
 * A scripted caller (UAC at {@link #UAC}) and callee (UAS at {@link #UAS}) of one call through a
 * {@link StressProxy}. Each step feeds what one UA puts on the wire into the shard's transaction
 * layer, built from the call's index alone (branches, tags, CSeqs are fixed; only the did cookie
 * is learnt from the dialog), so a step needs nothing from the proxy but the dialog. Every step
 * runs on the call's shard; sizes are realistic (a 40-char Call-ID, 14-char tags, full URIs).
 */
final class StressCall {
    static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 5060);
    static final InetSocketAddress UAC = new InetSocketAddress("127.0.0.1", 5061);
    static final InetSocketAddress UAS = new InetSocketAddress("127.0.0.1", 5070);
    static final Flow FROM_UAC = new Flow(TransportKind.UDP, PROXY, UAC);
    static final Flow FROM_UAS = new Flow(TransportKind.UDP, PROXY, UAS);

    /** How the call ends, chosen after its dialog exists. */
    enum End { CALLER_BYE, CALLEE_BYE, EXPIRE, BUSY, CANCEL }

    /** Who sends a request. */
    private enum Side { CALLER, CALLEE }

    final int index;
    final String callId;
    final String user;
    final StressShard shard;
    private final Flow uacFlow;
    private final String callerTag;
    private final String calleeTag;
    /** Set by the test before the ending steps are submitted (the submission publishes it to the shard). */
    End end;
    /** The call's dialog; null until {@link #invite} and when a profile refused it. Shard-confined. */
    Dialog dialog;
    private String did;

    /**
     * @param user    the caller's user part (the stress test's profile value)
     * @param uacFlow the flow the caller's requests arrive on (a fresh one per call, as per datagram)
     */
    StressCall(int index, String user, StressShard shard, Flow uacFlow) {
        this.index = index;
        this.callId = callId(index);
        this.user = user;
        this.shard = shard;
        this.uacFlow = uacFlow;
        long mix = index * 0x9E3779B97F4A7C15L;
        this.callerTag = "as" + hex12(mix);
        this.calleeTag = "bs" + hex12(Long.rotateLeft(mix, 17));
    }

    /** A 40-character Call-ID. */
    static String callId(int index) {
        long mix = index * 0x9E3779B97F4A7C15L;
        return new UUID(mix, Long.rotateLeft(mix, 29) ^ index).toString() + "@pbx";
    }

    private static String hex12(long v) {
        return String.format("%012x", v & 0xFFFF_FFFF_FFFFL);
    }

    // ---- the steps ----

    /** The caller's INVITE; learns whether the proxy created the dialog. */
    void invite() {
        receive(request(Side.CALLER, "INVITE", "inv", 1, false), uacFlow);
        List<Dialog> dialogs = shard.tracker.findByCallId(callId);
        if (!dialogs.isEmpty()) {
            dialog = dialogs.get(0);
            did = dialog.id();
        }
    }

    void ringing() {
        receive(response(Side.CALLER, "INVITE", "inv", 1, 180, "Ringing", true), FROM_UAS);
    }

    void answer() {
        receive(response(Side.CALLER, "INVITE", "inv", 1, 200, "OK", true), FROM_UAS);
    }

    /** The callee refuses: 486, then the caller ACKs it (hop by hop, same branch). */
    void busy() {
        receive(response(Side.CALLER, "INVITE", "inv", 1, 486, "Busy Here", false), FROM_UAS);
        receive(nonSuccessAck(), uacFlow);
    }

    /** The caller cancels; the callee answers the CANCEL and ends the INVITE with 487; the caller ACKs. */
    void cancel() {
        receive(request(Side.CALLER, "CANCEL", "inv", 1, false), uacFlow);
        receive("SIP/2.0 200 OK\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch(Side.CALLER, "inv") + ".p\n"
                + from(Side.CALLER) + to(Side.CALLER, false)
                + "Call-ID: " + callId + "\nCSeq: 1 CANCEL\nContent-Length: 0\n\n", FROM_UAS);
        receive(response(Side.CALLER, "INVITE", "inv", 1, 487, "Request Terminated", false), FROM_UAS);
        receive(nonSuccessAck(), uacFlow);
    }

    /** The caller's ACK for the 2xx (a new transaction, routed by the did). */
    void ack() {
        receive(request(Side.CALLER, "ACK", "ack1", 1, true), uacFlow);
    }

    /** A re-INVITE from {@code byCaller ? caller : callee}, its 200 from the other side, and its ACK. */
    void reInvite(boolean byCaller) {
        Side side = byCaller ? Side.CALLER : Side.CALLEE;
        long cseq = byCaller ? 2 : 11;
        receive(request(side, "INVITE", "reinv", cseq, true), flowOf(side));
        receive(response(side, "INVITE", "reinv", cseq, 200, "OK", false), flowOf(other(side)));
        receive(request(side, "ACK", "ack2", cseq, true), flowOf(side));
    }

    /** A BYE from one side and its 200 from the other. */
    void bye(boolean byCaller) {
        Side side = byCaller ? Side.CALLER : Side.CALLEE;
        long cseq = byCaller ? 3 : 12;
        receive(request(side, "BYE", "bye", cseq, true), flowOf(side));
        receive(response(side, "BYE", "bye", cseq, 200, "OK", false), flowOf(other(side)));
    }

    // ---- the messages ----

    private void receive(String text, Flow flow) {
        shard.layer.receive(Sip.parse(text), flow);
    }

    private Flow flowOf(Side side) {
        return side == Side.CALLER ? uacFlow : FROM_UAS;
    }

    private static Side other(Side side) {
        return side == Side.CALLER ? Side.CALLEE : Side.CALLER;
    }

    private String branch(Side side, String what) {
        return "z9hG4bK" + (side == Side.CALLER ? "c" : "s") + what + Integer.toString(index, 36);
    }

    private String via(Side side, String what) {
        return "Via: SIP/2.0/UDP " + (side == Side.CALLER ? "127.0.0.1:5061" : "127.0.0.1:5070")
                + ";branch=" + branch(side, what) + ";rport\n";
    }

    private String callerUri() {
        return "sip:" + user + "@192.0.2.10:5060";
    }

    private String from(Side side) {
        return side == Side.CALLER ? "From: <" + callerUri() + ">;tag=" + callerTag + "\n"
                : "From: <sip:bob@192.0.2.20:5060>;tag=" + calleeTag + "\n";
    }

    private String to(Side side, boolean tagged) {
        return side == Side.CALLER ? "To: <sip:bob@192.0.2.20:5060>" + (tagged ? ";tag=" + calleeTag : "") + "\n"
                : "To: <" + callerUri() + ">;tag=" + callerTag + "\n";
    }

    private String contact(Side side) {
        return side == Side.CALLER ? "Contact: <sip:" + user + "@127.0.0.1:5061>\n" : "Contact: <sip:bob@127.0.0.1:5070>\n";
    }

    private String request(Side side, String method, String what, long cseq, boolean inDialog) {
        String ruri = !inDialog ? "sip:bob@192.0.2.20:5060"
                : side == Side.CALLER ? "sip:bob@127.0.0.1:5070" : "sip:" + user + "@127.0.0.1:5061";
        return method + " " + ruri + " SIP/2.0\n"
                + via(side, what)
                + "Max-Forwards: 70\n"
                + (inDialog ? "Route: " + StressProxy.RECORD_ROUTE + ";did=" + did + ">\n" : "")
                + from(side) + to(side, inDialog)
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " " + method + "\n"
                + (method.equals("INVITE") ? contact(side) : "")
                + "Content-Length: 0\n\n";
    }

    /** What the other side answers to {@code side}'s request as relayed by the proxy (its Via on top). */
    private String response(Side side, String method, String what, long cseq, int status, String reason,
                            boolean recordRoute) {
        return "SIP/2.0 " + status + " " + reason + "\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch(side, what) + ".p\n"
                + via(side, what)
                + (recordRoute ? "Record-Route: " + StressProxy.RECORD_ROUTE + ";did=" + did + ">\n" : "")
                + from(side) + to(side, true)
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " " + method + "\n"
                + (method.equals("INVITE") && status < 300 ? contact(other(side)) : "")
                + "Content-Length: 0\n\n";
    }

    /** The caller's ACK for a non-2xx final response: the INVITE's branch, the response's To tag. */
    private String nonSuccessAck() {
        return "ACK sip:bob@192.0.2.20:5060 SIP/2.0\n"
                + via(Side.CALLER, "inv")
                + "Max-Forwards: 70\n"
                + from(Side.CALLER) + to(Side.CALLER, true)
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 ACK\n"
                + "Content-Length: 0\n\n";
    }
}
