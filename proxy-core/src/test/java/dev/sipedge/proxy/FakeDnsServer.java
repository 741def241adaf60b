package dev.sipedge.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A name server on 127.0.0.1 that answers A and SRV questions from tables the test fills. */
final class FakeDnsServer implements AutoCloseable {
    private final Map<String, byte[]> a = new ConcurrentHashMap<>();
    private final Map<String, byte[]> srv = new ConcurrentHashMap<>();
    final AtomicInteger srvQueries = new AtomicInteger();
    private final Channel channel;

    FakeDnsServer(EventLoopGroup group) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Answerer());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    void a(String name, int... ipv4) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) ipv4[i];
        }
        a.put(name + ".", bytes);
    }

    /** RFC 2782 record: priority, weight, port, target (uncompressed name). */
    void srv(String name, int priority, int weight, int port, String target) {
        ByteBuf rdata = Unpooled.buffer();
        rdata.writeShort(priority).writeShort(weight).writeShort(port);
        for (String label : target.split("\\.")) {
            rdata.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        rdata.writeByte(0);
        byte[] bytes = new byte[rdata.readableBytes()];
        rdata.readBytes(bytes);
        srv.put(name + ".", bytes);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.addRecord(DnsSection.QUESTION, question);
            String name = question.name().endsWith(".") ? question.name() : question.name() + ".";
            byte[] data = null;
            if (question.type() == DnsRecordType.A) {
                data = a.get(name);
            } else if (question.type() == DnsRecordType.SRV) {
                srvQueries.incrementAndGet();
                data = srv.get(name);
            }
            if (data != null) {
                response.addRecord(DnsSection.ANSWER,
                        new DefaultDnsRawRecord(question.name(), question.type(), 60, Unpooled.wrappedBuffer(data)));
            } else if (!a.containsKey(name) && !srv.containsKey(name)) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            }
            ctx.writeAndFlush(response);
        }
    }
}
