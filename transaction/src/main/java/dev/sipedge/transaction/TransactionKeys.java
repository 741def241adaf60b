package dev.sipedge.transaction;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.Locale;
import javax.sip.message.Request;

/**
 * Computes the matching keys of RFC 3261 §17.1.3 (client) and §17.2.3 (server, with the RFC 2543
 * fallback for branches without the magic cookie). Returns null for a message that lacks a top
 * Via or CSeq and so cannot belong to a transaction.
 */
final class TransactionKeys {
    /** §8.1.1.7: an RFC 3261 branch starts with this cookie. */
    static final String MAGIC_COOKIE = "z9hG4bK";
    private static final String RFC2543_PREFIX = "rfc2543|";
    private static final SentByNames SENT_BY = new SentByNames();

    private TransactionKeys() {
    }

    static boolean hasMagicCookie(Via via) {
        String branch = via.getBranch();
        return branch != null && branch.startsWith(MAGIC_COOKIE);
    }

    /** sent-by as it appears in the Via: host (lower-cased) and port when present. */
    static String sentBy(Via via) {
        String host = via.getHost() == null ? "" : via.getHost().toLowerCase(Locale.ROOT);
        return SENT_BY.of(host, via.getPort());
    }

    /**
     * §17.1.3: a response matches the client transaction whose request carried the same top Via
     * branch and whose method equals the CSeq method. sent-by is not part of client matching.
     */
    static TransactionKey clientMatch(SIPMessage message) {
        Via via = message.getTopmostVia();
        CSeq cseq = (CSeq) message.getCSeq();
        if (via == null || cseq == null || via.getBranch() == null) {
            return null;
        }
        return client(via.getBranch(), cseq.getMethod());
    }

    /** The key of the client transaction that sent a request with {@code branch} and {@code method}. */
    static TransactionKey client(String branch, String method) {
        return new TransactionKey(branch, "", method.toUpperCase(Locale.ROOT));
    }

    /**
     * §17.2.3 server key of a request: branch + sent-by + method, where an ACK is keyed under
     * INVITE (it belongs to the INVITE transaction) and CANCEL keeps its own method.
     * Without the magic cookie the RFC 2543 fallback below is used, with the request's To tag.
     */
    static TransactionKey server(SIPRequest request) {
        return server(request, methodOf(request), toTag(request));
    }

    /** The server key of the INVITE a CANCEL refers to (§9.2): same fields, method INVITE. */
    static TransactionKey inviteForCancel(SIPRequest cancel) {
        return server(cancel, Request.INVITE, toTag(cancel));
    }

    /**
     * RFC 2543 ACK matching needs the key of the INVITE, which carried no To tag when it was an
     * initial request: the key with an empty To tag. The caller then checks that the ACK's To tag
     * equals the one of the response the transaction sent (§17.2.3).
     */
    static TransactionKey rfc2543AckWithoutToTag(SIPRequest ack) {
        return server(ack, Request.INVITE, "");
    }

    static boolean isRfc2543(TransactionKey key) {
        return key.branch().startsWith(RFC2543_PREFIX);
    }

    private static TransactionKey server(SIPRequest request, String method, String toTag) {
        Via via = request.getTopmostVia();
        CSeq cseq = (CSeq) request.getCSeq();
        if (via == null || cseq == null) {
            return null;
        }
        if (hasMagicCookie(via)) {
            return new TransactionKey(via.getBranch(), sentBy(via), method);
        }
        if (request.getRequestURI() == null || request.getCallId() == null || request.getFrom() == null) {
            return null;
        }
        // §17.2.3 fallback: Request-URI, To tag, From tag, Call-ID, CSeq number and top Via.
        String digest = RFC2543_PREFIX + request.getRequestURI()
                + '|' + toTag
                + '|' + nullToEmpty(request.getFrom().getTag())
                + '|' + request.getCallId().getCallId()
                + '|' + cseq.getSeqNumber()
                + '|' + via.getTransport() + ' ' + sentBy(via) + ';' + nullToEmpty(via.getBranch());
        return new TransactionKey(digest, sentBy(via), method);
    }

    static String toTag(SIPMessage message) {
        return message.getTo() == null ? "" : nullToEmpty(message.getTo().getTag());
    }

    private static String methodOf(SIPRequest request) {
        String method = request.getMethod();
        return Request.ACK.equals(method) ? Request.INVITE : method;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
