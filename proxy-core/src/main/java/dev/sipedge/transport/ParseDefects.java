package dev.sipedge.transport;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What JAIN-SIP's lenient parser would otherwise hide, recorded so that the request validator
 * can answer as RFC 3261 §8.2 / §16.3 and RFC 4475 expect:
 * <ul>
 *   <li>header fields (and the start line) it could not parse: JAIN-SIP drops them and goes on
 *       when given a {@link ParseExceptionListener} (this class is one);</li>
 *   <li>repeated single-valued header fields: {@code SIPMessage.attachHeader} keeps the first and
 *       silently drops the rest, so they are counted by scanning the raw header block;</li>
 *   <li>the protocol version of the request line: the parser accepts any {@code SIP/x.y} and
 *       reports {@code SIP/2.0}, so it is read from the raw first line.</li>
 * </ul>
 * One instance per message; not thread-safe. The transport attaches a non-empty instance to the
 * message it delivers ({@link #of}); a clean message carries none, so the common case allocates
 * nothing beyond the listener.
 */
public final class ParseDefects implements ParseExceptionListener {

    /** One thing the parser dropped or hid. {@code header} is the full header name. */
    public record Defect(String header, String detail) {
    }

    /** Name used for defects of the first line. */
    public static final String REQUEST_LINE = "Request-Line";

    /** Headers whose loss changes how a proxy routes or answers: a parse failure there is fatal. */
    private static final Set<String> ESSENTIAL = Set.of("to", "from", "call-id", "cseq", "via",
            "max-forwards", "content-length", "route", "proxy-require", "request-line");

    /** RFC 3261 §7.3 single-valued headers we check for repetition, long and compact names (lower case). */
    private static final byte[][] SINGLE_VALUED = names("to", "t", "from", "f", "call-id", "i", "cseq",
            "max-forwards", "content-length", "l", "content-type", "c");
    private static final String[] SINGLE_VALUED_FULL = {"To", "To", "From", "From", "Call-ID", "Call-ID", "CSeq",
        "Max-Forwards", "Content-Length", "Content-Length", "Content-Type", "Content-Type"};
    /** Which header each entry of {@link #SINGLE_VALUED} is: long and compact forms share a group. */
    private static final int[] GROUP = {0, 0, 1, 1, 2, 2, 3, 4, 5, 5, 6, 6};

    private static final Map<String, String> COMPACT = Map.of(
            "t", "To", "f", "From", "i", "Call-ID", "v", "Via", "l", "Content-Length",
            "m", "Contact", "c", "Content-Type", "e", "Content-Encoding", "k", "Supported", "s", "Subject");

    private final List<Defect> malformed = new ArrayList<>(0);
    private final List<String> repeated = new ArrayList<>(0);
    private String requestLineVersion;

    /**
     * Parses one framed message with this listener and scans its raw header block. Throws only
     * when JAIN-SIP cannot build a message at all (e.g. RFC 4475 {@code clerr}).
     */
    public static SIPMessage parse(byte[] message, ParseDefects defects) throws ParseException {
        SIPMessage parsed = new StringMsgParser().parseSIPMessage(message, true, false, defects);
        defects.scanHeaderBlock(message);
        return parsed;
    }

    /** The defects the transport attached to {@code message}, or null for a clean parse. */
    public static ParseDefects of(SIPMessage message) {
        return message.getApplicationData() instanceof ParseDefects d ? d : null;
    }

    void attachTo(SIPMessage message) {
        message.setApplicationData(this);
    }

    @Override
    public void handleException(ParseException ex, SIPMessage message, Class headerClass,
                                String headerText, String rawMessage) {
        // Record and continue: JAIN-SIP then drops this header and parses the rest.
        String name = headerClass == RequestLine.class || headerClass == StatusLine.class
                ? REQUEST_LINE : headerName(headerText);
        String detail = ex.getMessage() == null ? "unparseable" : ex.getMessage().replace('\n', ' ');
        malformed.add(new Defect(name, detail));
    }

    /**
     * Counts single-valued header fields and reads the request line's protocol version from the
     * raw bytes, without allocating for clean messages. Stops at the end of the header block;
     * folded lines are skipped.
     */
    public void scanHeaderBlock(byte[] message) {
        int end = message.length;
        int pos = 0;
        while (pos < end && (message[pos] == '\r' || message[pos] == '\n')) {
            pos++;  // RFC 3261 §7.5: leading CRLFs before the start line are ignored
        }
        int eol = lineEnd(message, pos);
        readVersion(message, pos, eol);
        pos = next(message, eol);
        int seen = 0;
        while (pos < end) {
            eol = lineEnd(message, pos);
            if (eol == pos) {
                break;
            }
            byte first = message[pos];
            if (first != ' ' && first != '\t') {
                int which = singleValued(message, pos, eol);
                if (which >= 0) {
                    int bit = 1 << GROUP[which];
                    if ((seen & bit) != 0) {
                        repeated.add(SINGLE_VALUED_FULL[which]);
                    }
                    seen |= bit;
                }
            }
            pos = next(message, eol);
        }
    }

    private static int lineEnd(byte[] m, int pos) {
        int i = pos;
        while (i < m.length && m[i] != '\r' && m[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int next(byte[] m, int eol) {
        if (eol < m.length && m[eol] == '\r') {
            eol++;
        }
        return eol < m.length && m[eol] == '\n' ? eol + 1 : eol;
    }

    /** Index in {@link #SINGLE_VALUED} of the header named on this line, or -1. */
    private static int singleValued(byte[] m, int start, int end) {
        int colon = start;
        while (colon < end && m[colon] != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > start && (m[nameEnd - 1] == ' ' || m[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        if (colon == end) {
            return -1;
        }
        // the names are letters and hyphens, so a first byte folded to lower case rules most out
        int first = m[start] | 0x20;
        for (int i = 0; i < SINGLE_VALUED.length; i++) {
            byte[] name = SINGLE_VALUED[i];
            if (name.length == nameEnd - start && name[0] == first && equalsIgnoreCase(m, start, name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean equalsIgnoreCase(byte[] m, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int c = m[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private void readVersion(byte[] m, int start, int end) {
        if (end - start >= 4 && m[start] == 'S' && m[start + 1] == 'I' && m[start + 2] == 'P' && m[start + 3] == '/') {
            return;     // a status line: versions of responses are not our concern here
        }
        int last = end;
        while (last > start && (m[last - 1] == ' ' || m[last - 1] == '\t')) {
            last--;
        }
        int space = last;
        while (space > start && m[space - 1] != ' ') {
            space--;
        }
        boolean standard = last - space == 7 && regionIs(m, space, "SIP/2.0");
        requestLineVersion = standard ? "SIP/2.0" : new String(m, space, last - space, StandardCharsets.ISO_8859_1);
    }

    private static boolean regionIs(byte[] m, int start, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            int c = m[start + i];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Header fields that failed to parse (and were dropped from the message), in order. */
    public List<Defect> malformed() {
        return Collections.unmodifiableList(malformed);
    }

    /** The first parse failure of a header the proxy cannot do without, or null. */
    public Defect firstEssential() {
        for (Defect d : malformed) {
            if (ESSENTIAL.contains(d.header().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        return null;
    }

    /** Full names of single-valued header fields that appeared more than once. */
    public List<String> repeated() {
        return Collections.unmodifiableList(repeated);
    }

    /** The protocol version token of the raw request line, or {@code null} if not scanned. */
    public String requestLineVersion() {
        return requestLineVersion;
    }

    /** True when nothing was recorded that a validator would act on. */
    public boolean isEmpty() {
        return malformed.isEmpty() && repeated.isEmpty()
                && (requestLineVersion == null || requestLineVersion.equals("SIP/2.0"));
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

    private static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ParseDefects{malformed=" + malformed + ", repeated=" + repeated
                + ", version=" + requestLineVersion + '}';
    }
}
