package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * With the SIP trace logger ({@code sipedge.sip.trace}) switched to TRACE, a call relayed by a real
 * sipedge over real sockets leaves an "in" line for the INVITE from the caller and an "out" line
 * for the INVITE relayed to the next hop, each with the transport, both addresses and the text.
 */
@Tag("e2e")
class SipTraceWireTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest(name = "trace over {0}")
    @EnumSource(WireTransport.class)
    void aRelayedInviteIsTracedInAndOut(WireTransport transport) throws InterruptedException {
        Logger trace = (Logger) LoggerFactory.getLogger("sipedge.sip.trace");
        Level before = trace.getLevel();
        Recorder events = new Recorder();
        events.start();
        try (WireProxy proxy = WireProxy.start(transport)) {
            // switched on after the start: the warm-up's synthetic calls are not traced either way
            trace.setLevel(Level.TRACE);
            trace.addAppender(events);
            String kind = transport.name().toLowerCase();
            try (UacStub uac = proxy.uac()) {
                Calls.basicCall(proxy, uac);
                String caller = "127.0.0.1:" + uac.local().getPort();
                String nextHop = "127.0.0.1:" + proxy.uas.port();
                String proxyAddress = proxy.hostPort();
                awaitEvent(events, "in", kind, proxyAddress, caller, "INVITE sip:bob@example.com SIP/2.0");
                awaitEvent(events, "out", kind, null, nextHop, "INVITE sip:bob@example.com SIP/2.0");
                awaitEvent(events, "out", kind, proxyAddress, caller, "SIP/2.0 200 OK");
            }
        } finally {
            trace.detachAppender(events);
            trace.setLevel(before);
        }
    }

    /** The trace events, as the proxy's event loops log them. */
    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        final LinkedBlockingQueue<ILoggingEvent> queue = new LinkedBlockingQueue<>();
        /** Events already taken from the queue, kept for later searches and messages. */
        final List<ILoggingEvent> seen = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            queue.add(event);
        }
    }

    /**
     * Waits (bounded) for a trace event with these pairs whose message text starts with
     * {@code startLine}; {@code local} null matches any local address (an outgoing TCP connection
     * has an ephemeral port).
     */
    private static void awaitEvent(Recorder events, String direction, String transport,
                                   String local, String remote, String startLine) throws InterruptedException {
        for (ILoggingEvent event : events.seen) {
            if (matches(event, direction, transport, local, remote, startLine)) {
                return;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        ILoggingEvent event;
        while ((event = events.queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            events.seen.add(event);
            if (matches(event, direction, transport, local, remote, startLine)) {
                return;
            }
        }
        List<ILoggingEvent> seen = events.seen;
        StringBuilder summary = new StringBuilder();
        seen.forEach(e -> summary.append(e.getKeyValuePairs()).append(' ')
                .append(e.getFormattedMessage().lines().limit(2).toList()).append('\n'));
        throw new AssertionError("no trace event " + direction + " " + transport + " local=" + local + " remote="
                + remote + " '" + startLine + "'; seen:\n" + summary);
    }

    private static boolean matches(ILoggingEvent event, String direction, String transport, String local,
                                   String remote, String startLine) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return false;
        }
        boolean ok = has(pairs, "direction", direction) && has(pairs, "transport", transport)
                && has(pairs, "remote", remote) && (local == null || has(pairs, "local", local));
        String text = event.getFormattedMessage();
        int body = text.indexOf('\n');
        return ok && body >= 0 && text.startsWith(startLine, body + 1);
    }

    private static boolean has(List<KeyValuePair> pairs, String key, String value) {
        for (KeyValuePair pair : pairs) {
            if (pair.key.equals(key)) {
                assertTrue(pair.value instanceof String, key + " should be a string");
                return value.equals(pair.value);
            }
        }
        return false;
    }
}
