package dev.sipedge.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP message as the test stubs see it: start line, header fields in order (folded lines
 * joined, compact names expanded, RFC 3261 §7.3.3) and body. A deliberately small reader for
 * what the proxy sends; it never validates, so a test can look at exactly what arrived.
 */
record RawSip(String startLine, List<Header> headers, byte[] body, byte[] raw) {

    /** One header field: its full lower-case name and its value, trimmed. */
    record Header(String name, String value) {
    }

    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id",
            "l", "content-length", "m", "contact", "c", "content-type", "k", "supported", "s", "subject",
            "e", "content-encoding");
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3}) ?.*$");
    private static final Pattern BRANCH = Pattern.compile(";\\s*branch\\s*=\\s*([^;,\\s]+)", Pattern.CASE_INSENSITIVE);

    /** Reads one complete message; the body is whatever follows the blank line. */
    static RawSip parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int bodyStart = end < 0 ? text.length() : end + 4;
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r\n", -1);
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                Header last = headers.remove(headers.size() - 1);
                headers.add(new Header(last.name(), (last.value() + " " + line.strip()).strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.add(new Header(COMPACT.getOrDefault(name, name), line.substring(colon + 1).strip()));
        }
        byte[] body = new byte[bytes.length - Math.min(bodyStart, bytes.length)];
        System.arraycopy(bytes, Math.min(bodyStart, bytes.length), body, 0, body.length);
        return new RawSip(lines[0], List.copyOf(headers), body, bytes.clone());
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    /** The status code of a response, or -1 for a request. */
    int status() {
        Matcher m = STATUS.matcher(startLine);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The method of a request (first token of the request line). */
    String method() {
        int sp = startLine.indexOf(' ');
        return sp < 0 ? startLine : startLine.substring(0, sp);
    }

    /** The Request-URI of a request. */
    String requestUri() {
        String[] parts = startLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    /** Every value of a header field, comma-separated values split (for Via, Route, Record-Route). */
    List<String> values(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equals(key)) {
                values.addAll(splitCommas(h.value()));
            }
        }
        return values;
    }

    /** The first field of that name as written (not split), or null. */
    String header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (Header h : headers) {
            if (h.name().equals(key)) {
                return h.value();
            }
        }
        return null;
    }

    String callId() {
        return header("call-id");
    }

    /** The method in CSeq, or null. */
    String cseqMethod() {
        String cseq = header("cseq");
        if (cseq == null) {
            return null;
        }
        String[] parts = cseq.strip().split("\\s+");
        return parts.length > 1 ? parts[1] : null;
    }

    String topVia() {
        List<String> vias = values("via");
        return vias.isEmpty() ? null : vias.get(0);
    }

    /** The branch parameter of a Via value, or null. */
    static String branchOf(String via) {
        Matcher m = BRANCH.matcher(via == null ? "" : via);
        return m.find() ? m.group(1) : null;
    }

    /** Splits on commas outside quotes and angle brackets. */
    private static List<String> splitCommas(String value) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depth++;
            } else if (!quoted && c == '>') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(value.substring(from, i).strip());
                from = i + 1;
            }
        }
        parts.add(value.substring(from).strip());
        return parts;
    }

    @Override
    public String toString() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }
}
