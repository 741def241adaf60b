package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 3263 §4 for numeric hosts, which never touch DNS (the resolver must answer synchronously). */
class TargetResolverTest {
    private static NioEventLoopGroup loop;
    private static TargetResolver resolver;

    @BeforeAll
    static void start() {
        loop = new NioEventLoopGroup(1);
        resolver = new TargetResolver(loop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        resolver.close();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static CompletableFuture<Target> resolve(String uri) throws Exception {
        return resolver.resolve(new StringMsgParser().parseUrl(uri));
    }

    @Test
    void numericHostWithPortAndTransport() throws Exception {
        CompletableFuture<Target> t = resolve("sip:10.1.2.3:5080;transport=tcp");
        assertTrue(t.isDone(), "numeric hosts resolve without a DNS round trip");
        assertEquals(new Target(TransportKind.TCP, new InetSocketAddress("10.1.2.3", 5080)), t.get());
    }

    @Test
    void defaultsAreUdpAnd5060() throws Exception {
        assertEquals(new Target(TransportKind.UDP, new InetSocketAddress("10.1.2.3", 5060)), resolve("sip:bob@10.1.2.3").get());
    }

    @Test
    void maddrOverridesTheHost() throws Exception {
        assertEquals(new InetSocketAddress("10.9.9.9", 5070),
                resolve("sip:bob@example.com:5070;maddr=10.9.9.9").get().address());
    }

    @Test
    void ipv6Literal() throws Exception {
        assertEquals(new InetSocketAddress("::1", 5062), resolve("sip:[::1]:5062").get().address());
    }

    @Test
    void unsupportedTransportAndSchemeFail() {
        assertThrows(ExecutionException.class, () -> resolve("sip:10.1.2.3;transport=sctp").get());
        assertThrows(ExecutionException.class, () -> resolve("sips:10.1.2.3").get());
        assertThrows(ExecutionException.class, () -> resolve("tel:+15551234").get());
    }
}
