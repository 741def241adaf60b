package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP and TCP transports of RFC 3261 §18 over Netty: binds the listen addresses, frames and
 * parses what arrives (delivered to an {@link InboundHandler} on the executor that owns the call)
 * and sends messages from any thread.
 *
 * <p>Where messages go:
 * <ul>
 *   <li>Requests go to {@code flow.remote()}, which must be resolved (the proxy resolves; nothing
 *       here does DNS).</li>
 *   <li>Responses are sent with the server transaction's flow, i.e. the request's inbound flow.
 *       Over TCP they use the connection to {@code flow.remote()} when it is still open, else a new
 *       connection to the {@link ResponseAddress}; over UDP they go to the {@link ResponseAddress}
 *       (received/rport, §18.2.2 and RFC 3581).</li>
 *   <li>UDP leaves from the listener bound to {@code flow.local()} (the first UDP listener when it
 *       is null or unknown); TCP reuses any open connection to the destination (§18).</li>
 * </ul>
 *
 * <table>
 *   <caption>Socket settings</caption>
 *   <tr><th>setting</th><th>value</th></tr>
 *   <tr><td>event loops</td><td>{@code ioThreads}; native epoll when available, NIO otherwise</td></tr>
 *   <tr><td>UDP channels per listen entry</td><td>one per event loop with SO_REUSEPORT (epoll),
 *       one with NIO</td></tr>
 *   <tr><td>UDP SO_RCVBUF / SO_SNDBUF</td><td>4 MiB requested (the kernel may cap it)</td></tr>
 *   <tr><td>UDP receive buffer</td><td>65535 bytes, so no datagram is truncated</td></tr>
 *   <tr><td>UDP sends</td><td>flushed at the end of the read batch or task pass that made them
 *       (at most {@value #FLUSH_AFTER_DATAGRAMS} held), so several leave in one sendmmsg</td></tr>
 * </table>
 */
public final class SipTransport implements Transport, AutoCloseable {

    /**
     * Micrometer name of the gauge of the UDP receive buffer the kernel granted per listen address
     * ({@code sipedge_transport_udp_receive_buffer_bytes}): a buffer too small for a burst is where
     * UDP proxies lose requests first (the kernel's RcvbufErrors), before any CPU limit.
     */
    public static final String UDP_RECEIVE_BUFFER_METER = "sipedge.transport.udp.receive.buffer.bytes";
    /** Micrometer name of the parse error counter; Prometheus shows it as {@code sipedge_parse_errors_total}. */
    public static final String PARSE_ERRORS_METER = "sipedge.parse.errors";
    /** The {@code remote} of the flows in {@link #listeningPoints()}: unresolved, so sending to it fails. */
    public static final InetSocketAddress NO_REMOTE = InetSocketAddress.createUnresolved("0.0.0.0", 0);

    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    static final int MAX_DATAGRAM_BYTES = 65535;
    /**
     * Datagrams a UDP channel holds back at most before it sends them. What the proxy sends while it
     * handles a read batch (or one pass of its event loop's tasks) leaves together at the end, one
     * sendmmsg(2) instead of a sendto(2) per datagram; each kernel entry is dear on a virtual machine.
     */
    static final int FLUSH_AFTER_DATAGRAMS = 64;
    /**
     * Datagrams one read pass takes from a UDP socket before the event loop turns to its tasks: a
     * burst is read, handled and answered in one pass (its sends leave in one flush, one wake-up
     * ends in one empty read) instead of a pass, a task and a flush per datagram.
     */
    static final int DATAGRAMS_PER_READ = 16;

    private static final Logger log = LoggerFactory.getLogger(SipTransport.class);

    private final NativeTransport transport;
    private final TcpConnections tcp;
    /** UDP channels by bound address; several per address with SO_REUSEPORT. Fixed after start. */
    private final Map<InetSocketAddress, List<Channel>> udpChannels = new LinkedHashMap<>();
    private final UdpSends udp = new UdpSends(udpChannels);
    private final List<Channel> tcpServers = new ArrayList<>();
    private final List<Flow> listeningPoints = new ArrayList<>();
    /** SO_RCVBUF as the kernel reports it, per bound UDP address. */
    private final Map<InetSocketAddress, Integer> udpReceiveBuffers = new LinkedHashMap<>();

    /** Written once, by {@link #open}, on the thread that starts the proxy. */
    private boolean opened;

    private SipTransport(NativeTransport transport, TcpConnections tcp) {
        this.transport = transport;
        this.tcp = tcp;
    }

    /**
     * Binds every listen entry and returns once all are bound, without reading from any socket
     * yet: the proxy needs the bound addresses (port 0 in tests) before it exists, and what
     * arrives meanwhile waits in the kernel's buffers until {@link #open}. Registers the
     * {@value #PARSE_ERRORS_METER} counter in {@code registry}.
     *
     * @throws IllegalStateException when an address cannot be bound (the cause says why); whatever
     *                               was bound is closed again
     */
    public static SipTransport bind(TransportSettings settings, MeterRegistry registry) throws InterruptedException {
        return bind(settings, registry, SipTrace.standard());
    }

    /**
     * As {@link #bind}, with the SIP trace off whatever its logger's level: for the start-up
     * warm-up's throwaway proxy, whose synthetic calls are nothing an operator traces.
     */
    public static SipTransport bindUntraced(TransportSettings settings, MeterRegistry registry)
            throws InterruptedException {
        return bind(settings, registry, SipTrace.OFF);
    }

    private static SipTransport bind(TransportSettings settings, MeterRegistry registry, SipTrace trace)
            throws InterruptedException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(registry, "registry");
        Counter parseErrors = Counter.builder(PARSE_ERRORS_METER)
                .description("SIP messages that could not be framed or parsed")
                .register(registry);
        SipMessageParser parser = new SipMessageParser();
        NativeTransport transport = NativeTransport.create(settings.effectiveIoThreads());
        SipTransport sip = new SipTransport(transport,
                new TcpConnections(transport, settings, parseErrors, parser, trace));
        SipDatagramDecoder datagramDecoder =
                new SipDatagramDecoder(settings.maxMessageSize(), parseErrors, parser, trace);
        boolean bound = false;
        try {
            for (ListenAddress listen : settings.listen()) {
                InetSocketAddress local = listen.transport() == TransportKind.UDP
                        ? sip.bindUdp(listen, settings.effectiveIoThreads(), trace, datagramDecoder)
                        : sip.bindTcp(listen);
                sip.listeningPoints.add(new Flow(listen.transport(), local, NO_REMOTE));
                log.debug("listening on {} (bound {})", listen, local);   // SipEdge logs the one start-up line
            }
            sip.udpReceiveBuffers.forEach((local, granted) -> Gauge.builder(UDP_RECEIVE_BUFFER_METER, () -> granted)
                    .description("SO_RCVBUF the kernel granted to the UDP sockets of a listen address")
                    .tag("listen", local.getAddress().getHostAddress() + ":" + local.getPort())
                    .register(registry));
            bound = true;
            return sip;
        } finally {
            if (!bound) {
                sip.close();
            }
        }
    }

    /** {@link #bind} and {@link #open} in one step, for a handler that does not need the bound addresses. */
    public static SipTransport start(TransportSettings settings, CallOwners owners, InboundHandler handler,
                                     MeterRegistry registry) throws InterruptedException {
        SipTransport sip = bind(settings, registry);
        sip.open(owners, handler);
        return sip;
    }

    /**
     * Starts reading from every socket: each message goes to {@code handler} on the executor that
     * {@code owners} names for its Call-ID. Call once.
     */
    public void open(CallOwners owners, InboundHandler handler) {
        Objects.requireNonNull(owners, "owners");
        Objects.requireNonNull(handler, "handler");
        if (opened) {
            throw new IllegalStateException("the transport is already open");
        }
        opened = true;
        InboundDispatcher dispatcher = new InboundDispatcher(owners, handler);
        tcp.open(dispatcher);
        for (List<Channel> channels : udpChannels.values()) {
            for (Channel channel : channels) {
                channel.pipeline().addLast(dispatcher);
                channel.config().setAutoRead(true);
            }
        }
        for (Channel server : tcpServers) {
            server.config().setAutoRead(true);
        }
    }

    /**
     * A whole datagram in each receive buffer, {@link #DATAGRAMS_PER_READ} per pass. Set here and not
     * left to Netty: a receive-buffer allocator given as a channel option reads one message per pass
     * unless told otherwise (the channel's own default of 16 only applies to its default allocator).
     */
    private static RecvByteBufAllocator datagramReads() {
        return new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES).maxMessagesPerRead(DATAGRAMS_PER_READ);
    }

    private InetSocketAddress bindUdp(ListenAddress listen, int loops, SipTrace trace, SipDatagramDecoder decoder)
            throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(transport.group())
                .channel(transport.datagramChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, datagramReads())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        // the dispatcher joins at open()
                        ch.pipeline().addLast(new FlushConsolidationHandler(FLUSH_AFTER_DATAGRAMS, true), trace, decoder);
                    }
                });
        if (transport.reusePort()) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        List<Channel> channels = new ArrayList<>();
        Channel first = bind(bootstrap.bind(listen.socketAddress()), listen);
        channels.add(first);
        InetSocketAddress bound = (InetSocketAddress) first.localAddress();
        int reported = first.config().getOption(ChannelOption.SO_RCVBUF);
        // Linux reports twice the usable size (the doubling covers its bookkeeping); the JDK's NIO
        // socket halves it back, epoll's does not: keep the usable size either way.
        int granted = first instanceof EpollDatagramChannel ? reported / 2 : reported;
        udpReceiveBuffers.put(bound, granted);
        if (granted < SOCKET_BUFFER_BYTES) {
            log.warn("UDP receive buffer on {}: asked {} bytes, the kernel granted {}; bursts will be dropped "
                    + "by the kernel before sipedge sees them (raise net.core.rmem_max to at least {})",
                    listen, SOCKET_BUFFER_BYTES, granted, SOCKET_BUFFER_BYTES);
        }
        // the other copies must join the port the first one got (it may have been ephemeral)
        for (int i = 1; transport.reusePort() && i < loops; i++) {
            channels.add(bind(bootstrap.bind(bound), listen));
        }
        udpChannels.put(bound, List.copyOf(channels));
        return bound;
    }

    private InetSocketAddress bindTcp(ListenAddress listen) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.group(), transport.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.AUTO_READ, false)     // accepts nothing before open()
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(tcp.initializer());
        Channel server = bind(bootstrap.bind(listen.socketAddress()), listen);
        tcpServers.add(server);
        return (InetSocketAddress) server.localAddress();
    }

    private static Channel bind(ChannelFuture binding, ListenAddress listen) throws InterruptedException {
        binding.await();
        if (!binding.isSuccess()) {
            throw new IllegalStateException("cannot bind " + listen + ": " + binding.cause().getMessage(),
                    binding.cause());
        }
        return binding.channel();
    }

    /**
     * One flow per listen entry, in configuration order: the transport and the bound local address
     * (with the real port when port 0 was configured). {@code remote} is {@link #NO_REMOTE}; use
     * {@code flow.withRemote(destination)} to send from that listener.
     */
    public List<Flow> listeningPoints() {
        return List.copyOf(listeningPoints);
    }

    /**
     * The I/O event loops. proxy-core may run call-owning shards on them (work there must never
     * block): a message handled on the loop that received it then needs no thread hop, and a
     * UDP send from a loop leaves on that loop's own socket.
     */
    public List<EventExecutor> eventLoops() {
        List<EventExecutor> loops = new ArrayList<>();
        transport.group().forEach(loops::add);
        return List.copyOf(loops);
    }

    /** The usable SO_RCVBUF the kernel granted, per bound UDP address. */
    public Map<InetSocketAddress, Integer> udpReceiveBuffers() {
        return Map.copyOf(udpReceiveBuffers);
    }

    /** Number of TCP connections in the table (accepted and opened). */
    public int tcpConnectionCount() {
        return tcp.size();
    }

    @Override
    public void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(flow, "flow");
        try {
            if (flow.transport() == TransportKind.UDP) {
                udp.send(message, flow, onFailure);
            } else {
                tcp.send(message, flow, onFailure);
            }
        } catch (RuntimeException e) {
            // e.g. a message JAIN-SIP cannot encode: it fails this send only
            SendFailures.report(onFailure, e, null);
        }
    }

    /**
     * On UDP, sends the message and keeps the bytes it went out as and where they went, so a
     * transaction's 32 s in Completed holds a few hundred bytes (which the transaction layer
     * copies into its own store) instead of a parsed message (~10x that), encoded once for both;
     * over TCP, where nothing is resent, and when the message has no usable destination (the
     * failure reported as by {@link #send}), the message itself.
     */
    @Override
    public Kept sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(flow, "flow");
        if (flow.transport() != TransportKind.UDP) {
            return Transport.super.sendKept(message, flow, onFailure);
        }
        Optional<KeptDatagram> kept;
        try {
            kept = udp.sendKept(message, flow, onFailure);
        } catch (RuntimeException e) {
            // e.g. a message JAIN-SIP cannot encode: it fails this send only
            SendFailures.report(onFailure, e, null);
            kept = Optional.empty();
        }
        return kept.isPresent() ? kept.get() : new KeptMessage(message, flow);
    }

    /** A request written as text by the transaction layer (a failure's ACK), sent as it is. */
    @Override
    public void sendEncoded(byte[] request, Flow flow, FailureListener onFailure) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(flow, "flow");
        try {
            if (flow.remote().isUnresolved()) {
                SendFailures.report(onFailure, SendFailures.unresolved(flow.remote()), null);
            } else if (flow.transport() == TransportKind.UDP) {
                udp.sendBytes(request, 0, request.length, flow.local(), flow.remote(), onFailure);
            } else {
                tcp.sendBytes(request, flow, onFailure);
            }
        } catch (RuntimeException e) {
            SendFailures.report(onFailure, e, null);
        }
    }

    @Override
    public void sendDatagram(byte[] bytes, int offset, int length, InetSocketAddress local, InetSocketAddress target,
                             FailureListener onFailure) {
        udp.sendBytes(bytes, offset, length, local, target, onFailure);
    }

    /** Closes listeners and connections, then stops the event loops; waits up to a few seconds. */
    @Override
    public void close() {
        List<ChannelFuture> closing = new ArrayList<>(tcp.closeAll());
        for (Channel server : tcpServers) {
            closing.add(server.close());
        }
        for (List<Channel> channels : udpChannels.values()) {
            for (Channel channel : channels) {
                closing.add(channel.close());
            }
        }
        boolean onEventLoop = transport.group().next().inEventLoop() || isEventLoopThread();
        if (!onEventLoop) {
            for (ChannelFuture future : closing) {
                future.awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        Future<?> shutdown = transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!onEventLoop) {
            shutdown.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private boolean isEventLoopThread() {
        for (EventExecutor executor : transport.group()) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }
}
