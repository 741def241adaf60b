package dev.sipedge.e2e;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reading what a SIPp side traced ({@code -trace_msg}, see {@link SipMessageLog}) for assertions. */
final class SipTraces {

    private SipTraces() {
    }

    /**
     * The requests of {@code method} that {@code side} received, in order, each transaction once:
     * the e2e proxies run with T1 = 20 ms, so a proxy or SIPp slowed by a fresh JVM or a busy box
     * retransmits as RFC 3261 17.1.1.2 says it must, and a test that counts what was sent to a leg
     * counts requests, not datagrams.
     */
    static List<SipMessageLog.Entry> received(SippResult side, String method) {
        return received(side.dir(), method);
    }

    /** As {@link #received(SippResult, String)}, read from a SIPp directory while SIPp still runs. */
    static List<SipMessageLog.Entry> received(Path sippDir, String method) {
        return withoutRetransmissions(SipMessageLog.parse(Texts.read(sippDir.resolve("messages.log"))).stream()
                .filter(e -> !e.sent() && e.isRequest(method)).toList());
    }

    /** {@code requests} less those repeating an earlier one's top Via branch and CSeq (RFC 3261 17.2.3). */
    static List<SipMessageLog.Entry> withoutRetransmissions(List<SipMessageLog.Entry> requests) {
        Set<String> seen = new HashSet<>();
        return requests.stream().filter(r -> seen.add(topBranch(r) + " " + cseq(r))).toList();
    }

    private static String topBranch(SipMessageLog.Entry message) {
        List<String> vias = message.header("via");
        if (vias.isEmpty()) {
            return "";
        }
        for (String param : vias.get(0).split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("branch=")) {
                return p.substring("branch=".length());
            }
        }
        return "";
    }

    /** The CSeq number of {@code message}. */
    static long cseqNumber(SipMessageLog.Entry message) {
        return Long.parseLong(cseq(message).split("\\s+")[0]);
    }

    /** The CSeq value of {@code message}, e.g. "2 INVITE", or "" when it has none. */
    static String cseq(SipMessageLog.Entry message) {
        List<String> values = message.header("cseq");
        return values.isEmpty() ? "" : values.get(0);
    }
}
