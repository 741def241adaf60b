package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport.FailureListener;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.Counter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP connections, accepted and opened alike, keyed by the peer's address (RFC 3261 §18: a
 * connection a peer opened is reused for requests back to it, and responses go back on the
 * connection the request came on, §18.2.2). Outgoing connections are opened on demand; writes
 * queue behind the connect future, so messages leave in the order they were sent. Idle
 * connections close after the configured timeout and leave the table when they close.
 *
 * <p>The table is shared by every event loop and by the callers' threads, hence a
 * {@link ConcurrentHashMap}; it maps to the connect future of the connection (already
 * succeeded for accepted ones).
 */
final class TcpConnections {

    private static final Logger log = LoggerFactory.getLogger(TcpConnections.class);

    private final ConcurrentHashMap<InetSocketAddress, ChannelFuture> connections = new ConcurrentHashMap<>();
    private final Bootstrap bootstrap;
    private final ChannelInitializer<Channel> initializer;

    /** Set by {@link #open}; connections made before it wait, not reading, in {@link #waiting}. */
    private InboundDispatcher dispatcher;
    private final List<Channel> waiting = new ArrayList<>();

    TcpConnections(NativeTransport transport, TransportSettings settings, Counter parseErrors,
                   SipMessageParser parser, SipTrace trace) {
        long idleMillis = settings.tcpIdleTimeout().toMillis();
        ConnectionTracker tracker = new ConnectionTracker();
        this.initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(
                        trace,
                        new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                        tracker,
                        new SipStreamDecoder(settings.maxMessageSize(), parseErrors, parser, trace));
                receiveOn(ch);
            }
        };
        this.bootstrap = new Bootstrap()
                .group(transport.group())
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.tcpConnectTimeout().toMillis()))
                .handler(initializer);
    }

    /**
     * Starts delivering what every connection receives to {@code inbound}: a connection opened
     * before (a restored dialog's BYE may open one) joins now and starts reading.
     */
    synchronized void open(InboundDispatcher inbound) {
        dispatcher = inbound;
        for (Channel channel : waiting) {
            channel.pipeline().addLast(inbound);
            channel.config().setAutoRead(true);
        }
        waiting.clear();
    }

    private synchronized void receiveOn(Channel channel) {
        if (dispatcher == null) {
            channel.config().setAutoRead(false);
            waiting.add(channel);
        } else {
            channel.pipeline().addLast(dispatcher);
        }
    }

    /** The pipeline of every TCP connection; the server bootstrap uses it for accepted ones. */
    ChannelInitializer<Channel> initializer() {
        return initializer;
    }

    /** The connection to {@code remote} if one is open or opening, else null. */
    ChannelFuture existing(InetSocketAddress remote) {
        ChannelFuture connection = connections.get(remote);
        return usable(connection) ? connection : null;
    }

    /**
     * The connection to {@code remote}, opened now if there is none. {@code local} (may be null)
     * picks the source IP when it names a specific interface; the source port is ephemeral.
     */
    ChannelFuture connection(InetSocketAddress remote, InetSocketAddress local) {
        return connections.compute(remote, (key, current) -> usable(current) ? current : connect(key, local));
    }

    private static boolean usable(ChannelFuture connection) {
        return connection != null && (!connection.isDone() || connection.channel().isActive());
    }

    private ChannelFuture connect(InetSocketAddress remote, InetSocketAddress local) {
        ChannelFuture future = local == null || local.getAddress() == null || local.getAddress().isAnyLocalAddress()
                ? bootstrap.connect(remote)
                : bootstrap.connect(remote, new InetSocketAddress(local.getAddress(), 0));
        future.channel().closeFuture().addListener(closed -> connections.remove(remote, future));
        log.debug("connecting to {}", remote);
        return future;
    }

    /**
     * Sends {@code message} along {@code flow}: a response on the connection its request came on
     * (§18.2.2), else on one to the address its top Via names; a request on the connection to the
     * flow's remote address, opened if there is none.
     */
    void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        ChannelFuture connection;
        if (message instanceof SIPResponse response) {
            connection = existing(flow.remote());
            if (connection == null) {
                InetSocketAddress target = ResponseAddress.of(response, TransportKind.TCP);
                if (target == null || target.isUnresolved()) {
                    SendFailures.report(onFailure, SendFailures.unresolved(target), null);
                    return;
                }
                connection = connection(target, flow.local());
            }
        } else {
            if (flow.remote().isUnresolved()) {
                SendFailures.report(onFailure, SendFailures.unresolved(flow.remote()), null);
                return;
            }
            connection = connection(flow.remote(), flow.local());
        }
        write(connection, SipEncoder.encode(message, connection.channel().alloc()), onFailure);
    }

    /** Sends a request already encoded on the connection to the flow's (resolved) remote address. */
    void sendBytes(byte[] request, Flow flow, FailureListener onFailure) {
        write(connection(flow.remote(), flow.local()), Unpooled.wrappedBuffer(request), onFailure);
    }

    /** Writes {@code buf} once {@code connection} is up; releases it and reports when that fails. */
    void write(ChannelFuture connection, ByteBuf buf, FailureListener onFailure) {
        connection.addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                buf.release();
                SendFailures.report(onFailure, connected.cause(), connected.channel());
                return;
            }
            connected.channel().writeAndFlush(buf).addListener((ChannelFuture written) -> {
                if (!written.isSuccess()) {
                    SendFailures.report(onFailure, written.cause(), written.channel());
                }
            });
        });
    }

    int size() {
        return connections.size();
    }

    /** Closes every connection and returns their close futures. */
    List<ChannelFuture> closeAll() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (ChannelFuture connection : connections.values()) {
            closing.add(connection.channel().close());
        }
        return closing;
    }

    /**
     * Enters accepted connections into the table, closes idle ones and closes a connection whose
     * pipeline failed. Sharable: it keeps no state of its own.
     */
    @ChannelHandler.Sharable
    private final class ConnectionTracker extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel channel = ctx.channel();
            if (channel.remoteAddress() instanceof InetSocketAddress remote) {
                ChannelFuture registered = channel.newSucceededFuture();
                if (connections.putIfAbsent(remote, registered) == null) {
                    channel.closeFuture().addListener(closed -> connections.remove(remote, registered));
                }
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                log.debug("closing idle connection {}", ctx.channel());
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }
    }
}
