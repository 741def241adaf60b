package dev.sipedge.proxy;

import dev.sipedge.dialog.DialogRequestSender;
import dev.sipedge.dialog.NextHop;
import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.TransactionLayer;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sip.SipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the dialog module's own requests on the wire for one shard: our Via on the local socket of
 * the leg's flow (or of the transport the resolved next hop needs), a fresh random branch, and a
 * client transaction on the shard's layer. A next hop given as a URI is resolved off the SIP
 * threads and the send continues on the shard.
 */
final class DialogRequestDispatcher implements DialogRequestSender {
    private static final Logger log = LoggerFactory.getLogger(DialogRequestDispatcher.class);
    private static final AddressFactoryImpl ADDRESSES = new AddressFactoryImpl();
    private static final HexFormat HEX = HexFormat.of();

    private final ProxyServices services;
    private final TransactionLayer layer;
    private final Executor shard;
    private final Cancels cancels;

    DialogRequestDispatcher(ProxyServices services, TransactionLayer layer, Executor shard, Cancels cancels) {
        this.cancels = cancels;
        this.services = services;
        this.layer = layer;
        this.shard = shard;
    }

    @Override
    public void send(SIPRequest request, NextHop hop, Reply reply) {
        withFlow(hop, flow -> {
            if (flow == null) {
                reply.onEnd(EndReason.TRANSPORT_ERROR, false);
                return;
            }
            try {
                addVia(request, flow);
                layer.sendRequest(request, flow, new ClientTransaction.Listener() {
                    @Override
                    public void onResponse(ClientTransaction tx, SIPResponse response) {
                        reply.onResponse(response);
                    }

                    @Override
                    public void onTimerC(ClientTransaction tx) {
                        // A re-INVITE ping still unanswered at Timer C: as for a proxied INVITE (§16.8),
                        // CANCEL it when it rings (a late 2xx is still ACKed), else give it up.
                        if (tx.provisionalReceived()) {
                            cancel(request, flow, tx);
                        } else {
                            tx.abandon();
                        }
                    }

                    @Override
                    public void onTerminated(ClientTransaction tx, EndReason reason) {
                        reply.onEnd(reason, tx.finalReceived());
                    }
                });
            } catch (RuntimeException e) {
                log.warn("{} for Call-ID {} not sent: {}", request.getMethod(), request.getCallId().getCallId(),
                        e.toString());
                reply.onEnd(EndReason.TRANSPORT_ERROR, false);
            }
        });
    }

    @Override
    public void sendAck(SIPRequest ack, NextHop hop) {
        withFlow(hop, flow -> {
            if (flow == null) {
                services.metrics().dropped();
                return;
            }
            addVia(ack, flow);
            services.transport().send(ack, flow, null);
        });
    }

    private void cancel(SIPRequest invite, Flow flow, ClientTransaction tx) {
        try {
            cancels.send(invite.createCancelRequest(), flow);
        } catch (SipException | RuntimeException e) {
            log.warn("cannot CANCEL ping for Call-ID {}: {}", invite.getCallId().getCallId(), e.toString());
        }
        cancels.abandonLater(tx);
    }

    @Override
    public boolean cancel(ServerTransaction initialInvite) {
        if (initialInvite.attachment() instanceof ResponseContext context && context.acceptsBranches()) {
            context.cancel();
            return true;
        }
        return false;
    }

    /** The flow to send on: the leg's own, or the resolved URI's (null when it cannot be reached). */
    private void withFlow(NextHop hop, Consumer<Flow> then) {
        if (hop.flow() != null) {
            then.accept(hop.flow());
            return;
        }
        CompletableFuture<Target> target;
        try {
            target = services.resolver().resolve(ADDRESSES.createURI(hop.uri()));
        } catch (ParseException | RuntimeException e) {
            then.accept(null);
            return;
        }
        if (target.isDone()) {
            then.accept(flowTo(target));
        } else {
            target.whenCompleteAsync((t, e) -> then.accept(flowTo(target)), shard);
        }
    }

    private Flow flowTo(CompletableFuture<Target> future) {
        Target t = future.isCompletedExceptionally() ? null : future.join();
        LocalInterfaces.Listener out = t == null ? null : services.interfaces().outbound(t.transport());
        return out == null ? null : new Flow(t.transport(), out.bound(), t.address());
    }

    private void addVia(SIPRequest request, Flow flow) {
        // Random rather than a hash of the request: two pings can be byte-identical apart from the Via.
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        Via via = RequestForwarder.ourVia(services.interfaces().inbound(flow),
                services.branches().branch(HEX.formatHex(random), 0));
        if (request.getViaHeaders() == null) {
            request.addHeader(via);
        } else {
            request.getViaHeaders().addFirst(via);
        }
    }
}
