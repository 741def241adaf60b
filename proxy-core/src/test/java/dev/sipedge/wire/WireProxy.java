package dev.sipedge.wire;

import com.typesafe.config.ConfigFactory;
import dev.sipedge.SipEdge;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.proxy.LocalInterfaces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A sipedge started in this JVM on one transport, with a catch-all route to a {@link UasStub} on
 * the same transport, small transaction timers (T1 = 20 ms, so lingering transactions end in about
 * a second) and a short DNS timeout. Gives access to the meters the wire tests assert on.
 */
final class WireProxy implements AutoCloseable {
    /** RFC 3261 timers scaled down; timer-c must stay >= 64*T1 (1.28 s). */
    static final String TIMERS = "transaction { t1 = 20ms, t2 = 160ms, t4 = 200ms, timer-c = 2s }";

    final WireTransport transport;
    final UasStub uas;
    final SipEdge edge;
    final InetSocketAddress address;

    private WireProxy(WireTransport transport, UasStub uas, SipEdge edge) {
        this.transport = transport;
        this.uas = uas;
        this.edge = edge;
        this.address = listener(edge, transport);
    }

    static WireProxy start(WireTransport transport) {
        return start(transport, "");
    }

    /** {@code extra} is HOCON inside {@code sipedge { }}, e.g. a smaller max-message-size. */
    static WireProxy start(WireTransport transport, String extra) {
        UasStub uas = UasStub.start(transport);
        String hocon = "sipedge {\n"
                + "  listen = [\"" + transport.name().toLowerCase() + ":127.0.0.1:0\"]\n"
                + "  routes = [ { next-hop = \"sip:127.0.0.1:" + uas.port() + transport.uriParam() + "\" } ]\n"
                + "  workers = 2\n"
                + "  transport { io-threads = 2 }\n"
                + "  dns { query-timeout = 300ms }\n"
                + "  warmup { calls = 100 }\n"
                + "  metrics { listen = \"127.0.0.1:0\" }\n"
                + "  management { listen = \"127.0.0.1:0\" }\n"
                + "  " + TIMERS + "\n"
                + "  " + extra + "\n"
                + "}\n";
        ProxySettings settings = ProxySettings.from(
                ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
        try {
            return new WireProxy(transport, uas, SipEdge.start(settings));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            uas.close();
            throw new IllegalStateException("interrupted while starting sipedge", e);
        } catch (RuntimeException e) {
            uas.close();
            throw e;
        }
    }

    private static InetSocketAddress listener(SipEdge edge, WireTransport transport) {
        for (LocalInterfaces.Listener l : edge.interfaces().listeners()) {
            if (l.transport().name().equals(transport.name())) {
                return l.bound();
            }
        }
        throw new IllegalStateException("no " + transport + " listener");
    }

    UacStub uac() {
        return UacStub.open(transport, address);
    }

    /** {@code host:port} of the proxy as written in URIs. */
    String hostPort() {
        return "127.0.0.1:" + address.getPort();
    }

    double parseErrors() {
        return counter("sipedge.parse.errors");
    }

    double dropped() {
        return counter("sipedge_messages_dropped");
    }

    double activeTransactions() {
        Gauge g = edge.registry().find("sipedge_transactions_active").gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** {@code sipedge_retransmissions_total}: requests and responses the transaction layer sent again. */
    double retransmissions() {
        FunctionCounter c = edge.registry().find("sipedge_retransmissions").functionCounter();
        if (c == null) {
            throw new AssertionError("no sipedge_retransmissions meter");   // NaN would pass assertEquals
        }
        return c.count();
    }

    private double counter(String name) {
        Counter c = edge.registry().find(name).counter();
        return c == null ? 0 : c.count();
    }

    /**
     * Waits (polling the gauge from a scheduler, no sleeping in the test thread) until no
     * transaction is alive; fails with the last value after {@code timeout}.
     */
    void awaitNoTransactions(Duration timeout) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        poller.scheduleAtFixedRate(() -> {
            if (activeTransactions() == 0) {
                drained.complete(null);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("sipedge_transactions_active still " + activeTransactions() + " after " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            poller.shutdownNow();
        }
    }

    @Override
    public void close() {
        try {
            edge.close();
        } finally {
            uas.close();
        }
    }
}
