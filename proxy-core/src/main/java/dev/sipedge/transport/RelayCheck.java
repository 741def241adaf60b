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
import java.util.TreeMap;
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

    private RelayCheck() {
    }

    /** Throws when {@code wire}, the edited received bytes, says other than {@code message} encoded. */
    static void verify(SIPMessage message, ByteBuf wire) {
        byte[] edited = ByteBufUtil.getBytes(wire);
        byte[] encoded = SipEncoder.encodeObject(message);
        Map<String, List<String>> expected = headerByHeader(encoded);
        Map<String, List<String>> actual = headerByHeader(edited);
        if (!expected.equals(actual)) {
            wire.release();
            String both = new String(edited, StandardCharsets.ISO_8859_1) + "\n--- encoded ---\n"
                    + new String(encoded, StandardCharsets.ISO_8859_1);
            log.error("relay check: relayed bytes differ from the encoded message, not sent:\n{}", both);
            throw new IllegalStateException("relayed bytes differ from the encoded message:\n" + both);
        }
    }

    /**
     * What a message says: its start line, each header name's values in order (canonical
     * encoding), its defects and body; or why it does not parse. The order of headers of different
     * names is not part of it (RFC 3261 §7.3.1).
     */
    static Map<String, List<String>> headerByHeader(byte[] wire) {
        Map<String, List<String>> out = new TreeMap<>();
        Object parsed = PARSER.parse(wire);
        if (!(parsed instanceof SIPMessage message)) {
            out.put(" failure", List.of(String.valueOf(parsed instanceof DecodeFailure f ? f.reason() : parsed)));
            return out;
        }
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
