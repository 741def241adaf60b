package dev.sipedge.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** SIP text the stubs send, built line by line with CRLF (RFC 3261 §7). */
final class Messages {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Messages() {
    }

    static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    /** Joins header lines with CRLF, adds Content-Length and the blank line, then the body. */
    static byte[] message(String startLine, List<String> headers, String body) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n");
        sb.append(body);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A Via for a stub's socket, with rport so UDP answers come back to its port (RFC 3581). */
    static String via(WireTransport transport, UacStub uac, String branch) {
        return "Via: SIP/2.0/" + transport.token() + " 127.0.0.1:" + uac.local().getPort()
                + ";branch=" + branch + ";rport";
    }

    /**
     * A response to {@code request} from the UAS stub (RFC 3261 §8.2.6.2): all Vias, From,
     * Call-ID, CSeq copied, To with {@code toTag} unless it has one, plus {@code extra} lines.
     */
    static byte[] response(RawSip request, int status, String reason, String toTag, List<String> extra) {
        List<String> lines = new ArrayList<>();
        for (String via : request.values("via")) {
            lines.add("Via: " + via);
        }
        String to = request.header("to");
        if (to != null && toTag != null && !to.matches("(?i).*;\\s*tag\\s*=.*")) {
            to = to + ";tag=" + toTag;
        }
        if (request.header("from") != null) {
            lines.add("From: " + request.header("from"));
        }
        if (to != null) {
            lines.add("To: " + to);
        }
        if (request.callId() != null) {
            lines.add("Call-ID: " + request.callId());
        }
        if (request.header("cseq") != null) {
            lines.add("CSeq: " + request.header("cseq"));
        }
        lines.addAll(extra);
        return message("SIP/2.0 " + status + " " + reason, lines, "");
    }
}
