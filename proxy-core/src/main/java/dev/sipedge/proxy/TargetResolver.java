package dev.sipedge.proxy;

import dev.sipedge.transaction.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

/**
 * RFC 3263 §4 server location for a SIP URI, asynchronous and off the SIP threads: numeric hosts
 * resolve at once; a host with a port (or a {@code transport} parameter and no SRV record) takes
 * A/AAAA; a host without a port takes SRV {@code _sip._udp}/{@code _sip._tcp} first, then A/AAAA
 * on 5060. NAPTR is not consulted (the transport comes from the URI, UDP by default). A and AAAA
 * answers are cached by Netty's resolver, SRV answers here, both capped at {@code maxTtl}.
 */
public final class TargetResolver implements AutoCloseable {
    private static final int DEFAULT_PORT = 5060;

    private final DnsNameResolver dns;
    private final long maxTtlMillis;
    private final Map<String, CachedSrv> srvCache = new ConcurrentHashMap<>();

    private record CachedSrv(String host, int port, long expiresAt) {
    }

    /** A resolver using the system's name servers ({@code /etc/resolv.conf}). */
    public TargetResolver(EventLoop loop, Duration queryTimeout, Duration maxTtl) {
        this(loop, queryTimeout, maxTtl, List.of());
    }

    /** A resolver asking {@code servers} in order (empty: the system's name servers). */
    public TargetResolver(EventLoop loop, Duration queryTimeout, Duration maxTtl, List<InetSocketAddress> servers) {
        this.maxTtlMillis = maxTtl.toMillis();
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .channelType(NioDatagramChannel.class)
                .queryTimeoutMillis(queryTimeout.toMillis())
                .ttl(0, (int) maxTtl.toSeconds());
        if (!servers.isEmpty()) {
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers.toArray(new InetSocketAddress[0])));
        }
        this.dns = builder.build();
    }

    /** Resolves {@code uri}; the future fails with {@link UnknownHostException} when nothing is found. */
    public CompletableFuture<Target> resolve(URI uri) {
        if (!(uri instanceof SipURI sip) || sip.isSecure()) {
            return CompletableFuture.failedFuture(new UnknownHostException("unsupported URI scheme: " + uri.getScheme()));
        }
        String host = sip.getMAddrParam() != null ? sip.getMAddrParam() : sip.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String transportParam = sip.getTransportParam();
        TransportKind transport = transportParam == null ? TransportKind.UDP : TransportKind.fromToken(transportParam);
        if (transport == null) {
            return CompletableFuture.failedFuture(new UnknownHostException("unsupported transport: " + transportParam));
        }
        int port = sip.getPort();
        if (port > 65535) {
            return CompletableFuture.failedFuture(new UnknownHostException("port out of range: " + port));
        }
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
            return CompletableFuture.completedFuture(
                    new Target(transport, new InetSocketAddress(address, port > 0 ? port : DEFAULT_PORT)));
        }
        if (port > 0) {
            return lookupAddress(host, port, transport);
        }
        return lookupSrv(host, transport);
    }

    private CompletableFuture<Target> lookupAddress(String host, int port, TransportKind transport) {
        CompletableFuture<Target> result = new CompletableFuture<>();
        dns.resolve(host).addListener((Future<InetAddress> f) -> {
            try {
                if (f.isSuccess()) {
                    result.complete(new Target(transport, new InetSocketAddress(f.getNow(), port)));
                } else {
                    result.completeExceptionally(f.cause());
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);   // the future must always complete, or the call hangs
            }
        });
        return result;
    }

    private CompletableFuture<Target> lookupSrv(String host, TransportKind transport) {
        String name = "_sip._" + transport.token().toLowerCase(Locale.ROOT) + "." + host;
        CachedSrv cached = srvCache.get(name);
        if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
            return lookupAddress(cached.host(), cached.port(), transport);
        }
        CompletableFuture<Target> result = new CompletableFuture<>();
        dns.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV)).addListener((Future<List<DnsRecord>> f) -> {
            CachedSrv best = f.isSuccess() ? bestSrv(f.getNow()) : null;
            if (f.isSuccess()) {
                f.getNow().forEach(ReferenceCountUtil::release);
            }
            CompletableFuture<Target> next;
            if (best != null) {
                srvCache.put(name, best);
                next = lookupAddress(best.host(), best.port(), transport);
            } else {
                next = lookupAddress(host, DEFAULT_PORT, transport);
            }
            next.whenComplete((t, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(t);
                }
            });
        });
        return result;
    }

    /** RFC 2782: lowest priority first, then highest weight (no random weighting: one target per request). */
    private CachedSrv bestSrv(List<DnsRecord> records) {
        CachedSrv best = null;
        int bestPriority = Integer.MAX_VALUE;
        int bestWeight = -1;
        for (DnsRecord record : records) {
            if (!(record instanceof DefaultDnsRawRecord raw) || record.type() != DnsRecordType.SRV) {
                continue;
            }
            ByteBuf content = raw.content().duplicate();
            if (content.readableBytes() < 7) {
                continue;
            }
            int priority = content.readUnsignedShort();
            int weight = content.readUnsignedShort();
            int port = content.readUnsignedShort();
            String target = DnsNames.decode(content);
            if (target == null || target.isEmpty()) {
                continue;
            }
            if (priority < bestPriority || (priority == bestPriority && weight > bestWeight)) {
                bestPriority = priority;
                bestWeight = weight;
                long ttl = Math.min(record.timeToLive() * 1000L, maxTtlMillis);
                best = new CachedSrv(target, port, System.currentTimeMillis() + ttl);
            }
        }
        return best;
    }

    @Override
    public void close() {
        dns.close();
    }
}
