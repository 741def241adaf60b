package dev.sipedge.transport;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A differential check of the relay on received bytes, on for the end-to-end tests and for an
 * operator chasing a suspicion ({@code -Ddev.sipedge.relay.check=true}): every message sent as its
 * received bytes with edits is also encoded from its object, both are parsed, and if they say
 * anything different, header by header, the send fails with both texts instead of putting the
 * edited bytes on the wire. Off, it costs one static test per send.
 */
final class RelayCheck {
    static final boolean ENABLED = Boolean.getBoolean("dev.sipedge.relay.check");
    private static final Logger log = LoggerFactory.getLogger(RelayCheck.class);
    private static final SipMessageParser PARSER = new SipMessageParser();
    /** The key of {@link #headerByHeader} for a message that does not parse. */
    static final String FAILURE = " failure";

    private RelayCheck() {
    }

    /**
     * Throws when {@code wire}, edited from {@code received}, says other than {@code message}
     * encoded, in any header whose values JAIN-SIP reads back from {@code received} as it writes
     * them (see {@link #notRoundTripped}).
     */
    static void verify(SIPMessage message, ByteBuf wire, byte[] received) {
        byte[] edited = ByteBufUtil.getBytes(wire);
        byte[] encoded = SipEncoder.encodeObject(message);
        Set<String> unstable = notRoundTripped(received);
        Map<String, List<String>> expected = without(headerByHeader(encoded), unstable);
        Map<String, List<String>> actual = without(headerByHeader(edited), unstable);
        // JAIN-SIP's own encoding of odd input may not parse (an unbalanced quote in a display
        // name, a Via read leniently): then there is no reference to hold the edit to
        if (!expected.containsKey(FAILURE) && !expected.equals(actual)) {
            wire.release();
            String both = new String(edited, StandardCharsets.ISO_8859_1) + "\n--- encoded ---\n"
                    + new String(encoded, StandardCharsets.ISO_8859_1);
            log.error("relay check: relayed bytes differ from the encoded message, not sent:\n{}", both);
            throw new IllegalStateException("relayed bytes differ from the encoded message:\n" + both);
        }
    }

    /**
     * The header names of {@code received} that JAIN-SIP does not read back as it wrote them: on
     * odd input (a parameter glued to a {@code >}, an unquoted display name with bytes outside
     * ASCII) parse, encode and parse again can differ from one parse. Such a header, untouched,
     * goes out verbatim and says what it said when received; the encoder cannot be the reference
     * for it.
     */
    static Set<String> notRoundTripped(byte[] received) {
        if (!(PARSER.parse(received) instanceof ParseOutcome.Parsed parsed)) {
            return Set.of();
        }
        SIPMessage message = parsed.message();
        Map<String, List<String>> once = headerByHeader(received);
        Map<String, List<String>> twice = headerByHeader(SipEncoder.encodeObject(message));
        Set<String> names = new TreeSet<>(once.keySet());
        names.addAll(twice.keySet());
        names.removeIf(name -> Objects.equals(once.get(name), twice.get(name)));
        return names;
    }

    /** {@code said} less the headers named in {@code names}. */
    static Map<String, List<String>> without(Map<String, List<String>> said, Set<String> names) {
        Map<String, List<String>> out = new TreeMap<>(said);
        out.keySet().removeAll(names);
        return out;
    }

    /**
     * What a message says: its start line, each header name's values in order (canonical
     * encoding), its defects and body; or why it does not parse. The order of headers of different
     * names is not part of it (RFC 3261 §7.3.1).
     */
    static Map<String, List<String>> headerByHeader(byte[] wire) {
        Map<String, List<String>> out = new TreeMap<>();
        ParseOutcome outcome = PARSER.parse(wire);
        if (!(outcome instanceof ParseOutcome.Parsed parsed)) {
            out.put(FAILURE, List.of(outcome instanceof DecodeFailure f ? f.reason() : "blank"));
            return out;
        }
        SIPMessage message = parsed.message();
        out.put(" start line", List.of(message.getFirstLine()));
        for (Iterator<SIPHeader> it = message.getHeaders(); it.hasNext(); ) {
            SIPHeader header = it.next();
            out.computeIfAbsent(header.getHeaderName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.encode());
        }
        ParseDefects defects = ParseDefects.of(message);
        out.put(" defects", List.of(defects == null ? "none" : defects.toString()));
        byte[] body = message.getRawContent();
        out.put(" body", List.of(body == null ? "" : new String(body, StandardCharsets.ISO_8859_1)));
        return out;
    }
}
