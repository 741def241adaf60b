package dev.sipedge.proxy.validation;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What JAIN-SIP's lenient parser would otherwise hide, recorded so that
 * {@link RequestValidator} can answer as RFC 3261 §8.2 / §16.3 and RFC 4475 expect:
 * <ul>
 *   <li>header fields (and the request line) it could not parse: JAIN-SIP drops them and goes on
 *       when given a {@link ParseExceptionListener} (this class is one);</li>
 *   <li>repeated single-valued header fields: {@code SIPMessage.attachHeader} keeps the first and
 *       silently drops the rest, so they are counted by scanning the raw header block;</li>
 *   <li>the protocol version of the request line: the parser accepts any {@code SIP/x.y} and
 *       reports {@code SIP/2.0}, so it is read from the raw first line.</li>
 * </ul>
 * One instance per message; not thread-safe. Use {@link #parse} to do both steps.
 */
public final class ParseDefects implements ParseExceptionListener {

    /** One thing the parser dropped or hid. {@code header} is the full header name. */
    public record Defect(String header, String detail) {
    }

    /** Name used for defects of the first line. */
    public static final String REQUEST_LINE = "Request-Line";

    /** RFC 3261 §7.3: header fields that may appear once only, which we check for repetition. */
    static final Set<String> SINGLE_VALUED =
            Set.of("to", "from", "call-id", "cseq", "max-forwards", "content-length", "content-type");

    private static final Map<String, String> COMPACT = Map.of(
            "t", "To", "f", "From", "i", "Call-ID", "v", "Via", "l", "Content-Length",
            "m", "Contact", "c", "Content-Type", "e", "Content-Encoding", "k", "Supported", "s", "Subject");

    private final List<Defect> malformed = new ArrayList<>();
    private final List<String> repeated = new ArrayList<>();
    private String requestLineVersion;

    /**
     * Parses one message (datagram or framed stream message) with this listener and scans its
     * raw header block. Throws only when JAIN-SIP cannot build a message at all (e.g.
     * Content-Length larger than the datagram, RFC 4475 {@code clerr}).
     */
    public static SIPMessage parse(byte[] message, ParseDefects defects) throws ParseException {
        SIPMessage parsed = new StringMsgParser().parseSIPMessage(message, true, false, defects);
        defects.scanHeaderBlock(message);
        return parsed;
    }

    @Override
    public void handleException(ParseException ex, SIPMessage message, Class headerClass,
                                String headerText, String rawMessage) {
        // Record and continue: JAIN-SIP then drops this header and parses the rest.
        String name;
        if (headerClass == RequestLine.class || headerClass == StatusLine.class) {
            name = REQUEST_LINE;
        } else {
            name = headerName(headerText);
        }
        String detail = ex.getMessage() == null ? "unparseable" : ex.getMessage().replace('\n', ' ');
        malformed.add(new Defect(name, detail));
    }

    /**
     * Counts single-valued header fields and reads the first line's protocol version from the raw
     * bytes. Stops at the first empty line (end of headers); folded lines are skipped.
     */
    public void scanHeaderBlock(byte[] message) {
        Map<String, Integer> counts = new HashMap<>();
        int end = message.length;
        int pos = 0;
        boolean first = true;
        while (pos < end) {
            int eol = pos;
            while (eol < end && message[eol] != '\n') {
                eol++;
            }
            int lineEnd = eol > pos && message[eol - 1] == '\r' ? eol - 1 : eol;
            String line = new String(message, pos, Math.max(0, lineEnd - pos), StandardCharsets.ISO_8859_1);
            pos = eol + 1;
            if (first) {
                if (line.isBlank()) {
                    continue;   // RFC 3261 §7.5: leading CRLFs before the start line are ignored
                }
                first = false;
                readVersion(line);
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = headerName(line).toLowerCase(Locale.ROOT);
            if (SINGLE_VALUED.contains(key) && counts.merge(key, 1, Integer::sum) == 2) {
                repeated.add(headerName(line));
            }
        }
    }

    private void readVersion(String line) {
        String trimmed = line.strip();
        int lastSpace = trimmed.lastIndexOf(' ');
        if (trimmed.startsWith("SIP/")) {
            return;     // a status line: versions of responses are not our concern here
        }
        requestLineVersion = lastSpace < 0 ? "" : trimmed.substring(lastSpace + 1);
    }

    /** Header fields that failed to parse (and were dropped from the message), in order. */
    public List<Defect> malformed() {
        return Collections.unmodifiableList(malformed);
    }

    /** Full names of single-valued header fields that appeared more than once. */
    public List<String> repeated() {
        return Collections.unmodifiableList(repeated);
    }

    /** The protocol version token of the raw request line, or {@code null} if not scanned. */
    public String requestLineVersion() {
        return requestLineVersion;
    }

    public boolean isEmpty() {
        return malformed.isEmpty() && repeated.isEmpty();
    }

    /** Full header name of a raw header line, compact forms expanded (RFC 3261 §7.3.3). */
    static String headerName(String headerText) {
        if (headerText == null) {
            return "";
        }
        int colon = headerText.indexOf(':');
        String name = (colon < 0 ? headerText : headerText.substring(0, colon)).strip();
        String full = COMPACT.get(name.toLowerCase(Locale.ROOT));
        return full != null ? full : name;
    }

    @Override
    public String toString() {
        return "ParseDefects{malformed=" + malformed + ", repeated=" + repeated
                + ", version=" + requestLineVersion + '}';
    }
}
