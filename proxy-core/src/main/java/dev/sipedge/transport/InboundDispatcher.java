package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler: works out the {@link Flow}, stamps received/rport on requests
 * (RFC 3261 §18.2.1, RFC 3581 §4) and hands the message to the {@link InboundHandler}. Stateless
 * and {@link Sharable}; the flow of a TCP connection is computed once and kept on the channel.
 */
@ChannelHandler.Sharable
final class InboundDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);
    private static final AttributeKey<Flow> FLOW = AttributeKey.valueOf(InboundDispatcher.class, "flow");
    /** Remote of a flow whose channel has no IP peer (only in EmbeddedChannel tests). */
    static final InetSocketAddress UNKNOWN_PEER = InetSocketAddress.createUnresolved("unknown", 0);

    private final InboundHandler handler;

    InboundDispatcher(InboundHandler handler) {
        this.handler = handler;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InboundDatagram datagram) {
            Flow flow = new Flow(TransportKind.UDP, inet(ctx.channel().localAddress()), datagram.sender());
            // Without a Call-ID (a framing failure, or garbage) nothing owns it: answer it here, in
            // arrival order with what follows on this socket.
            String callId = datagram.callId();
            EventExecutor owner = callId == null ? null : handler.ownerOf(callId);
            if (owner == null || owner.inEventLoop()) {
                deliver(ctx, datagram.content(), flow);
            } else {
                owner.execute(() -> deliver(ctx, datagram.content(), flow));
            }
        } else {
            deliver(ctx, msg, streamFlow(ctx.channel()));
        }
    }

    private void deliver(ChannelHandlerContext ctx, Object content, Flow flow) {
        try {
            if (content instanceof SIPMessage message) {
                if (message instanceof SIPRequest request) {
                    ReceivedParameter.addTo(request, flow.remote());
                }
                handler.onMessage(message, flow);
            } else if (content instanceof DecodeFailure failure) {
                if (failure.partial() instanceof SIPRequest request) {
                    ReceivedParameter.addTo(request, flow.remote());
                }
                handler.onMalformed(failure.partial(), flow, failure.reason());
            } else {
                ctx.fireChannelRead(content);
            }
        } catch (RuntimeException e) {
            // the handler's bug concerns this message only; the connection and other calls go on
            log.error("inbound handler failed for a message on {}", flow, e);
        }
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

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof io.netty.channel.socket.DatagramChannel) {
            log.warn("error on UDP listener {}; it stays open", ctx.channel(), cause);
        } else {
            log.debug("closing {} after an error", ctx.channel(), cause);
            ctx.close();
        }
    }
}
