package dev.sipedge.proxy;

import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import dev.sipedge.transport.ReceivedBytes;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sip.address.URI;
import javax.sip.header.MaxForwardsHeader;

/**
 * What a stateful proxy still relays without a transaction: the ACK for a 2xx (a transaction of
 * its own, RFC 3261 §17.1.1.3 / RFC 6026) along the route set, and a 2xx response that matches
 * no client transaction any more (§16.7: forwarded statelessly per its Via).
 */
final class StatelessRelay {
    private final ProxyServices services;
    private final RequestForwarder forwarder;
    private final Executor shard;
    private final DialogHook dialogs;

    StatelessRelay(ProxyServices services, RequestForwarder forwarder, Executor shard, DialogHook dialogs) {
        this.services = services;
        this.forwarder = forwarder;
        this.shard = shard;
        this.dialogs = dialogs;
    }

    void relayAck(SIPRequest ack, Flow inbound) {
        MaxForwards mf = (MaxForwards) ack.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            services.metrics().dropped();
            return;
        }
        RoutePreprocessResult routing = services.looseRouter().preprocess(ack);
        if (routing.strictRouterFixed()) {
            ReceivedBytes.forget(ack);     // a new Request-URI: the received request line is not it
        }
        URI destination = ProxyEngine.topRoute(ack);
        if (destination == null && (routing.ourRouteRemoved() || routing.strictRouterFixed())) {
            destination = ack.getRequestURI();
        }
        if (destination == null) {
            // An ACK that is neither ours to route nor part of a transaction: nothing to answer (§17.2.1).
            services.metrics().dropped();
            return;
        }
        dialogs.onAck(ack, routing, inbound);
        CompletableFuture<Target> target = services.resolver().resolve(destination);
        if (target.isDone()) {
            sendAck(ack, inbound, target);
        } else {
            target.whenCompleteAsync((t, e) -> sendAck(ack, inbound, target), shard);
        }
    }

    private void sendAck(SIPRequest ack, Flow inbound, CompletableFuture<Target> future) {
        Target target = future.isCompletedExceptionally() ? null : future.join();
        LocalInterfaces.Listener outbound = target == null ? null : services.interfaces().outbound(target.transport());
        if (outbound == null) {
            services.metrics().dropped();
            return;
        }
        forwarder.prepare(ack, ack, 0, services.interfaces().inbound(inbound), outbound, false, RouteParams.EMPTY);
        services.transport().send(ack, new Flow(target.transport(), outbound.bound(), target.address()), null);
    }

    void relayStrayResponse(SIPResponse response) {
        int status = response.getStatusCode();
        var vias = response.getViaHeaders();
        boolean inviteSuccess = status >= 200 && status < 300 && "INVITE".equals(response.getCSeq().getMethod());
        if (!inviteSuccess || vias == null || vias.size() < 2 || !services.interfaces().isOurVia((Via) vias.getFirst())) {
            services.metrics().dropped();
            return;
        }
        Via ours = (Via) vias.getFirst();
        vias.removeFirst();
        ReceivedBytes.topViaRemoved(response, ours);
        Flow back = flowBack((Via) vias.getFirst(), services.interfaces());
        if (back == null) {
            services.metrics().dropped();
            return;
        }
        dialogs.beforeRelayStray(response);
        services.metrics().responseSent(status);
        services.transport().send(response, back, null);
    }

    /**
     * Where a response goes back by {@code via} without a transaction (§18.2.2, RFC 3581): to its
     * {@code received} address or host, at its {@code rport} or port (5060 when none), from our
     * listener of its transport. Null when that needs a name resolved (DNS on this thread; §18.2.2
     * lets us drop what we cannot address) or we have no listener of that transport.
     */
    static Flow flowBack(Via via, LocalInterfaces interfaces) {
        TransportKind kind = via == null ? null : TransportKind.fromToken(via.getTransport());
        LocalInterfaces.Listener local = kind == null ? null : interfaces.outbound(kind);
        String host = via == null ? null : via.getReceived() != null ? via.getReceived() : via.getHost();
        if (local == null || host == null || !(NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host))) {
            return null;
        }
        int port = via.getRPort() > 0 ? via.getRPort() : (via.getPort() > 0 ? via.getPort() : 5060);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        return new Flow(kind, local.bound(), new InetSocketAddress(address, port));
    }
}
