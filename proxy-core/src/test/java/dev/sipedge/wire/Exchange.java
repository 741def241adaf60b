package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends one message as given and observes, without sleeping, what the proxy did with it: a
 * well-formed probe (an OPTIONS with the same Call-ID, or for a message without one a Call-ID
 * owned like none, so the proxy hands it to the same shard after the message) follows on the same socket or connection, and is routed to the UAS stub,
 * which answers everything itself. Once the probe's answer is back, everything the proxy did with
 * the message before it has reached the stubs: its responses at the UAC, its relays at the UAS.
 * When the proxy closes a TCP connection instead, a second probe on a new connection plays that
 * part (and shows the proxy still serves).
 *
 * <p>The observed outcome is one word, compared with the expectation tables:
 * {@code RELAYED} (the request reached the UAS), a status code (answered by the proxy and not
 * relayed), or {@code DROP} (neither); {@code +close} when the proxy closed the TCP connection.
 */
final class Exchange {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(\\S+)");
    private static final String PROBE_HEADER = "X-Wire-Probe";

    /** What happened, plus the raw evidence for failure messages. */
    record Observed(String outcome, List<RawSip> responses, List<RawSip> relayed, double parseErrors, double dropped) {
        String describe() {
            StringBuilder sb = new StringBuilder(outcome).append(" (parse errors +").append(parseErrors)
                    .append(", dropped +").append(dropped).append(")");
            for (RawSip r : responses) {
                sb.append("\n  UAC got: ").append(r.startLine());
            }
            for (RawSip r : relayed) {
                sb.append("\n  UAS got: ").append(r.startLine());
            }
            return sb.toString();
        }
    }

    private Exchange() {
    }

    /**
     * @param uacs       opens the UAC stub (a new socket or connection each time)
     * @param halfClose  TCP: shut our output after the message instead of sending a probe behind it
     *                   (a message waiting for more body would swallow the probe)
     */
    static Observed run(WireProxy proxy, byte[] bytes, Supplier<UacStub> uacs, boolean halfClose) {
        return run(proxy, bytes, uacs, halfClose, false);
    }

    /**
     * @param awaitFinal after the probe, keep reading (up to {@link #WAIT}) for a final response to
     *                   the message when none came yet: a request routed somewhere we do not
     *                   control (a preloaded Route) is answered only when that branch fails
     */
    static Observed run(WireProxy proxy, byte[] bytes, Supplier<UacStub> uacs, boolean halfClose, boolean awaitFinal) {
        proxy.uas.autoAnswer(true);
        proxy.uas.drain();
        String callId = callIdOf(bytes);
        String probeCallId = callId != null ? callId : probeCallIdOwnedLikeNone(proxy);
        double parse0 = proxy.parseErrors();
        double dropped0 = proxy.dropped();
        List<RawSip> responses = new ArrayList<>();
        boolean closed = false;
        String probe;
        try (UacStub uac = uacs.get()) {
            uac.send(bytes);
            if (halfClose) {
                uac.shutdownOutput();
                closed = collectUntil(uac, null, callId, responses);
            } else {
                probe = sendProbe(proxy, uac, probeCallId);
                closed = collectUntil(uac, probe, callId, responses);
                if (awaitFinal && !closed && callId != null) {
                    awaitFinalResponse(uac, callId, responses);
                }
            }
        }
        if (closed || halfClose) {
            try (UacStub fresh = uacs.get()) {
                probe = sendProbe(proxy, fresh, probeCallId);
                boolean closedAgain = collectUntil(fresh, probe, null, new ArrayList<>());
                assertEquals(false, closedAgain, "the proxy closed a connection carrying only a valid probe");
            }
        }
        List<RawSip> relayed = new ArrayList<>();
        for (UasStub.Received r : proxy.uas.drain()) {
            RawSip m = r.message();
            boolean probeMessage = m.header(PROBE_HEADER) != null;
            boolean hopByHop = !m.isResponse() && (m.method().equals("ACK") || m.method().equals("CANCEL"));
            boolean ofThisMessage = callId == null || callId.equals(m.callId());
            if (!probeMessage && !hopByHop && ofThisMessage) {
                relayed.add(m);
            }
        }
        String outcome;
        if (!relayed.isEmpty()) {
            outcome = "RELAYED";
        } else {
            List<String> finals = new ArrayList<>();
            for (RawSip r : responses) {
                if (r.status() >= 200 || r.status() < 100) {
                    finals.add(Integer.toString(r.status()));
                }
            }
            outcome = finals.isEmpty() ? "DROP" : String.join(",", finals.stream().distinct().toList());
        }
        if (closed) {
            outcome += "+close";
        }
        return new Observed(outcome, responses, relayed, proxy.parseErrors() - parse0, proxy.dropped() - dropped0);
    }

    /** Reads until a final response with {@code callId} is among {@code responses}, or {@link #WAIT} passed. */
    private static void awaitFinalResponse(UacStub uac, String callId, List<RawSip> responses) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (responses.stream().noneMatch(r -> r.status() >= 200)) {
            long left = deadline - System.nanoTime();
            RawSip m = left > 0 ? uac.receive(Duration.ofNanos(left)) : null;
            if (m == null) {
                return;
            }
            if (m.isResponse() && callId.equals(m.callId())) {
                responses.add(m);
            }
        }
    }

    /**
     * A message without a Call-ID belongs to the shard the transport gives such messages; the
     * probe must follow it on that shard to come back after it.
     */
    private static String probeCallIdOwnedLikeNone(WireProxy proxy) {
        int owner = proxy.edge.ownerOf(null);
        for (;;) {
            String candidate = Messages.unique("probe");
            if (proxy.edge.ownerOf(candidate) == owner) {
                return candidate;
            }
        }
    }

    /** Sends the probe and returns its branch. */
    private static String sendProbe(WireProxy proxy, UacStub uac, String callId) {
        String branch = "z9hG4bK" + Messages.unique("probe");
        InetSocketAddressText local = new InetSocketAddressText(uac);
        uac.send(Messages.message("OPTIONS sip:probe@wire.invalid SIP/2.0", List.of(
                "Via: SIP/2.0/" + proxy.transport.token() + " " + local + ";branch=" + branch + ";rport",
                "Max-Forwards: 70",
                "From: <sip:probe@wire.invalid>;tag=probe",
                "To: <sip:probe@wire.invalid>",
                "Call-ID: " + callId,
                "CSeq: 424242 OPTIONS",
                PROBE_HEADER + ": " + branch), ""));
        return branch;
    }

    /**
     * Reads the UAC until the probe with {@code branch} is answered finally ({@code branch} null:
     * until the end of the stream). Keeps responses with {@code callId} (all when null) that are
     * not the probe's. True when the proxy closed the connection first.
     */
    private static boolean collectUntil(UacStub uac, String branch, String callId, List<RawSip> responses) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            RawSip m = left > 0 ? uac.receive(Duration.ofNanos(left)) : null;
            if (m == null) {
                if (uac.closedByPeer(Duration.ZERO)) {
                    return true;
                }
                assertNotNull(m, branch == null ? "the proxy did not close the connection within " + WAIT
                        : "the probe was not answered within " + WAIT + "; so far: " + responses);
            }
            boolean isProbe = branch != null && branch.equals(RawSip.branchOf(m.topVia()));
            if (isProbe) {
                assertEquals(200, m.status() < 200 ? 200 : m.status(), () -> "probe answered: " + m);
                if (m.status() >= 200) {
                    return false;
                }
            } else if (callId == null || callId.equals(m.callId())) {
                responses.add(m);
            }
        }
    }

    static String callIdOf(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        Matcher m = CALL_ID.matcher(end < 0 ? text : text.substring(0, end));
        return m.find() ? m.group(1) : null;
    }

    /** {@code ip:port} of a stub's socket for a Via sent-by. */
    private record InetSocketAddressText(UacStub uac) {
        @Override
        public String toString() {
            return uac.local().getAddress().getHostAddress() + ":" + uac.local().getPort();
        }
    }
}
