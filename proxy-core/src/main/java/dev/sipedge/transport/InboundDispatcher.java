package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler, and the one hand-off of a message: it asks the {@link CallOwners}
 * once, with the Call-ID read from the raw bytes, which executor owns the call (unless there is
 * only one), and there parses the message, stamps received/rport on a request (RFC 3261 §18.2.1,
 * RFC 3581 §4) and hands it to the {@link InboundHandler} with the owner's index. Stateless and
 * {@link Sharable}; the flow of a TCP connection is computed once and kept on the channel.
 */
@ChannelHandler.Sharable
final class InboundDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);
    private static final AttributeKey<Flow> FLOW = AttributeKey.valueOf(InboundDispatcher.class, "flow");
    private static final AttributeKey<PeerFlows> PEER_FLOWS =
            AttributeKey.valueOf(InboundDispatcher.class, "peerFlows");
    /** Remote of a flow whose channel has no IP peer (only in EmbeddedChannel tests). */
    static final InetSocketAddress UNKNOWN_PEER = InetSocketAddress.createUnresolved("unknown", 0);

    private final CallOwners owners;
    private final InboundHandler handler;

    InboundDispatcher(CallOwners owners, InboundHandler handler) {
        this.owners = owners;
        this.handler = handler;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof InboundMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Flow flow = message.transport() == TransportKind.UDP
                ? peerFlows(ctx.channel()).from(message.sender())
                : streamFlow(ctx.channel());
        if (message.framingFailed()) {
            // Concerns no call: answered here, before a stream decoder closes the connection it
            // would go back on.
            deliver(message, flow, 0);
            return;
        }
        // A message without a Call-ID goes to owner 0, which answers or drops it. With one owner
        // (the default: one event loop) the byte scan for the Call-ID would pick nothing.
        int owner = owners.size() == 1 ? 0 : owners.indexFor(message.callId());
        EventExecutor executor = owners.get(owner);
        if (executor.inEventLoop()) {
            deliver(message, flow, owner);
        } else {
            executor.execute(() -> deliver(message, flow, owner));
        }
    }

    private void deliver(InboundMessage message, Flow flow, int owner) {
        try {
            ParseOutcome content = message.content();
            if (content instanceof ParseOutcome.Parsed parsed) {
                if (parsed.message() instanceof SIPRequest request) {
                    ReceivedParameter.addTo(request, flow.remote());
                }
                handler.onMessage(parsed.message(), flow, owner);
            } else if (content instanceof DecodeFailure failure) {
                if (failure.partial() instanceof SIPRequest request) {
                    ReceivedParameter.addTo(request, flow.remote());
                }
                handler.onMalformed(failure.partial(), flow, failure.reason());
            }
        } catch (RuntimeException e) {
            // the handler's bug concerns this message only; the connection and other calls go on
            log.error("inbound handler failed for a message on {}", flow, e);
        }
    }

    /** The flows of a datagram socket's peers, made on first use; only its event loop reads it. */
    static PeerFlows peerFlows(Channel channel) {
        PeerFlows flows = channel.attr(PEER_FLOWS).get();
        if (flows == null) {
            flows = new PeerFlows(inet(channel.localAddress()));
            channel.attr(PEER_FLOWS).set(flows);
        }
        return flows;
    }

    /** The flow of a stream connection: its local and peer addresses, computed on first use. */
    static Flow streamFlow(Channel channel) {
        Flow flow = channel.attr(FLOW).get();
        if (flow == null) {
            InetSocketAddress remote = inet(channel.remoteAddress());
            flow = new Flow(TransportKind.TCP, inet(channel.localAddress()), remote == null ? UNKNOWN_PEER : remote);
            channel.attr(FLOW).set(flow);
        }
        return flow;
    }

    static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof DatagramChannel) {
            log.warn("error on UDP listener {}; it stays open", ctx.channel(), cause);
        } else {
            log.debug("closing {} after an error", ctx.channel(), cause);
            ctx.close();
        }
    }
}
