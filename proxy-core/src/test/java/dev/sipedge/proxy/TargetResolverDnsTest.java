package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RFC 3263 §4 lookups against a name server on 127.0.0.1 that the test controls. */
@Tag("e2e")
class TargetResolverDnsTest {
    private NioEventLoopGroup group;
    private FakeDnsServer dns;
    private TargetResolver resolver;

    @BeforeEach
    void start() throws InterruptedException {
        group = new NioEventLoopGroup(2);
        dns = new FakeDnsServer(group);
        dns.srv("_sip._udp.example.test", 20, 0, 5099, "backup.example.test");
        dns.srv("_sip._udp.example.test", 10, 5, 5080, "edge1.example.test");
        dns.a("edge1.example.test", 127, 0, 0, 2);
        dns.a("backup.example.test", 127, 0, 0, 9);
        dns.srv("_sip._tcp.tcp.test", 10, 0, 5081, "edge2.tcp.test");
        dns.a("edge2.tcp.test", 127, 0, 0, 4);
        dns.a("plain.test", 127, 0, 0, 3);
        resolver = new TargetResolver(group.next(), Duration.ofSeconds(2), Duration.ofSeconds(60), List.of(dns.address()));
    }

    @AfterEach
    void stop() {
        resolver.close();
        dns.close();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private Target resolve(String uri) throws Exception {
        return resolver.resolve(new StringMsgParser().parseUrl(uri)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void noPortMeansSrvThenTheTargetsAddress() throws Exception {
        assertEquals(new Target(TransportKind.UDP, new InetSocketAddress("127.0.0.2", 5080)), resolve("sip:alice@example.test"));
    }

    @Test
    void srvCacheAnswersTheSecondLookup() throws Exception {
        resolve("sip:alice@example.test");
        resolve("sip:bob@example.test");
        assertEquals(1, dns.srvQueries.get(), "the SRV answer is cached for its TTL");
    }

    @Test
    void transportParameterPicksTheTcpSrvName() throws Exception {
        assertEquals(new Target(TransportKind.TCP, new InetSocketAddress("127.0.0.4", 5081)),
                resolve("sip:carol@tcp.test;transport=tcp"));
    }

    @Test
    void withoutSrvTheHostsAddressOn5060() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.3", 5060), resolve("sip:dave@plain.test").address());
    }

    @Test
    void anExplicitPortSkipsSrv() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.3", 5090), resolve("sip:dave@plain.test:5090").address());
        assertEquals(0, dns.srvQueries.get());
    }

    @Test
    void anUnknownNameFails() {
        assertThrows(ExecutionException.class, () -> resolve("sip:erin@nowhere.test"));
    }
}
