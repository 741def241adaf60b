package dev.sipedge.proxy;

import dev.sipedge.proxy.validation.RequestValidator;
import dev.sipedge.proxy.validation.Verdict;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.Transport;
import dev.sipedge.transport.InboundHandler;
import dev.sipedge.transport.ParseDefects;
import gov.nist.javax.sip.header.Unsupported;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import javax.sip.address.SipURI;

/**
 * Where parsed messages enter the proxy, on the shard the transport chose for the call. It
 * validates requests (RFC 3261 §16.3, answering invalid ones statelessly so that garbage never
 * creates a transaction), then gives each message to that shard's transaction layer.
 */
public final class MessageIntake implements InboundHandler {
    private final TransactionLayer[] layers;
    private final RequestValidator validator;
    private final LocalInterfaces interfaces;
    private final Transport transport;
    private final ProxyMetrics metrics;

    /** {@code layers[i]} is the transaction layer of the shard the transport names owner {@code i}. */
    public MessageIntake(TransactionLayer[] layers, RequestValidator validator, LocalInterfaces interfaces,
                         Transport transport, ProxyMetrics metrics) {
        this.layers = layers.clone();
        this.validator = validator;
        this.interfaces = interfaces;
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    public void onMessage(SIPMessage message, Flow flow, int owner) {
        if (message instanceof SIPRequest request) {
            metrics.requestReceived(request.getMethod());
            Verdict verdict = validator.validate(request, ParseDefects.of(request));
            if (verdict instanceof Verdict.Reject reject && !isLivenessOptions(request, reject)) {
                reject(request, flow, reject);
                return;
            }
        } else if (!addressable(message)) {
            metrics.dropped();
            return;
        }
        layers[owner].receive(message, flow);
    }

    @Override
    public void onMalformed(SIPMessage partial, Flow flow, String reason) {
        if (partial instanceof SIPRequest request) {
            reject(request, flow, Verdict.reject(400, truncate(reason)));
        }
    }

    /** §16.3 step 3: Max-Forwards 0 on an OPTIONS for us may still be answered (by the engine, with 200). */
    private boolean isLivenessOptions(SIPRequest request, Verdict.Reject verdict) {
        return verdict.status() == 483 && request.getMethod().equals("OPTIONS")
                && request.getRequestURI() instanceof SipURI uri && uri.getUser() == null
                && interfaces.identity().isOurs(uri);
    }

    /**
     * Answers an invalid request statelessly. A top Via is all a response needs to find its way
     * back (§18.2.2); whatever else is missing is simply missing from the 400 too. An ACK is
     * never answered (§17.2.1).
     */
    private void reject(SIPRequest request, Flow flow, Verdict.Reject verdict) {
        if ("ACK".equals(request.getMethod()) || request.getTopmostVia() == null) {
            metrics.dropped();
            return;
        }
        SIPResponse response;
        try {
            response = LocalResponses.create(request, verdict.status(), verdict.reason());
        } catch (RuntimeException e) {
            // JAIN-SIP cannot build a response from every partial message; such input is dropped.
            metrics.dropped();
            return;
        }
        if (verdict.status() == 420 && !verdict.unsupported().isEmpty()) {
            for (String option : verdict.unsupported()) {
                Unsupported header = new Unsupported();
                try {
                    header.setOptionTag(option);
                } catch (ParseException e) {
                    continue;
                }
                response.addHeader(header);
            }
        }
        metrics.responseSent(verdict.status());
        transport.send(response, flow, null);
    }

    /** Enough of a message to answer it or match it: Via, From, To, Call-ID and CSeq. */
    private static boolean addressable(SIPMessage m) {
        return m.getTopmostVia() != null && m.getFrom() != null && m.getTo() != null
                && m.getCallId() != null && m.getCSeq() != null;
    }

    private static String truncate(String reason) {
        String r = reason == null ? "Bad Request" : reason.replaceAll("[\\r\\n]", " ");
        return r.length() > 100 ? r.substring(0, 100) : r;
    }
}
