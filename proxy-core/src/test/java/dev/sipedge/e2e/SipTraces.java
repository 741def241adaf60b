package dev.sipedge.e2e;

import java.nio.file.Path;
import java.util.List;

/** Reading what a SIPp side traced ({@code -trace_msg}, see {@link SipMessageLog}) for assertions. */
final class SipTraces {

    private SipTraces() {
    }

    /** The requests of {@code method} that {@code side} received, in order. */
    static List<SipMessageLog.Entry> received(SippResult side, String method) {
        return received(side.dir(), method);
    }

    /** As {@link #received(SippResult, String)}, read from a SIPp directory while SIPp still runs. */
    static List<SipMessageLog.Entry> received(Path sippDir, String method) {
        return SipMessageLog.parse(Texts.read(sippDir.resolve("messages.log"))).stream()
                .filter(e -> !e.sent() && e.isRequest(method)).toList();
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
