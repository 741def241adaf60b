package dev.sipedge.dialog;

import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The proxy's side of {@link DialogRequestSender} for the dialog tests: records every request the
 * module sends, with its next hop and its {@link DialogRequestSender.Reply}, so the test plays the
 * UA (answers it) and the transaction (ends it). ACKs and CANCEL calls are recorded as well.
 */
final class RecordingSender implements DialogRequestSender {

    /** One request handed to {@link #send}. */
    static final class Sent {
        final SIPRequest request;
        final NextHop hop;
        final Reply reply;
        private boolean ended;

        Sent(SIPRequest request, NextHop hop, Reply reply) {
            this.request = request;
            this.hop = hop;
            this.reply = reply;
        }

        String method() {
            return request.getMethod();
        }

        long cseq() {
            return request.getCSeq().getSeqNumber();
        }

        /** The UA's response, as the transaction would report it (our Via on top, as the real sender adds). */
        SIPResponse response(int status, String contact) {
            String text = request.encode();
            int eol = text.indexOf("\r\n");
            SIPRequest onWire = (SIPRequest) Msgs.parse(text.substring(0, eol + 2)
                    + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-ds-" + System.identityHashCode(this) + "\r\n"
                    + text.substring(eol + 2));
            return Msgs.response(onWire, status).contact(contact).build();
        }

        /** The UA answers {@code status}; a final response also ends the transaction (completed). */
        SIPResponse answer(int status, String contact) {
            SIPResponse r = response(status, contact);
            reply.onResponse(r);
            if (status >= 200) {
                end(EndReason.COMPLETED, true);
            }
            return r;
        }

        SIPResponse answer(int status) {
            return answer(status, null);
        }

        /** The UA answers without the transaction ending yet (e.g. a 2xx retransmission follows). */
        SIPResponse answerOnly(int status, String contact) {
            SIPResponse r = response(status, contact);
            reply.onResponse(r);
            return r;
        }

        /** The transaction ends without (more) responses: Timer B/F, or a transport failure. */
        void end(EndReason reason, boolean finalReceived) {
            ended = true;
            reply.onEnd(reason, finalReceived);
        }

        void timeout() {
            end(EndReason.TIMEOUT, false);
        }

        boolean ended() {
            return ended;
        }
    }

    /** An ACK handed to {@link #sendAck}. */
    record Ack(SIPRequest request, NextHop hop) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Ack> acks = new ArrayList<>();
    final List<ServerTransaction> cancels = new ArrayList<>();
    /** What {@link #cancel} answers. */
    boolean cancelResult = true;
    /** Requests matching this are refused by throwing (after being recorded). */
    Predicate<SIPRequest> throwOn = r -> false;
    /** Requests matching this fail at once through {@link Reply#onEnd} (after being recorded), as {@link #NONE} does. */
    Predicate<SIPRequest> failOn = r -> false;

    @Override
    public void send(SIPRequest request, NextHop hop, Reply reply) {
        Sent s = new Sent(request, hop, reply);
        sent.add(s);
        if (throwOn.test(request)) {
            throw new IllegalStateException("test: cannot send " + request.getMethod());
        }
        if (failOn.test(request)) {
            s.end(EndReason.TRANSPORT_ERROR, false);
        }
    }

    @Override
    public void sendAck(SIPRequest ack, NextHop hop) {
        acks.add(new Ack(ack, hop));
    }

    @Override
    public boolean cancel(ServerTransaction initialInvite) {
        cancels.add(initialInvite);
        return cancelResult;
    }

    /** The requests of {@code method}, in order. */
    List<Sent> of(String method) {
        return sent.stream().filter(s -> s.method().equals(method)).toList();
    }

    Sent last() {
        if (sent.isEmpty()) {
            throw new AssertionError("nothing sent");
        }
        return sent.get(sent.size() - 1);
    }

    /** The one request sent toward the leg with To tag {@code tag} and {@code method}. */
    Sent toward(String tag, String method) {
        List<Sent> found = sent.stream()
                .filter(s -> s.method().equals(method) && tag.equals(s.request.getToTag())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " " + method + " toward " + tag + " in " + sent.size() + " sent");
        }
        return found.get(0);
    }
}
