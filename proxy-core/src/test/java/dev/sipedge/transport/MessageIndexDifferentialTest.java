package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.parsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.torture.TortureCorpus;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The index against JAIN-SIP over the RFC 4475 torture set and the project's malformed corpus:
 * wherever JAIN-SIP parses a message with a Call-ID, the index reads the same Call-ID from the
 * raw bytes (so the owner the transport picks is the call's), and the same number of Via values.
 */
class MessageIndexDifferentialTest {

    static List<Path> corpus() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> torture = Files.list(TortureCorpus.dir());
             Stream<Path> malformed = Files.list(malformedDir())) {
            torture.filter(p -> p.toString().endsWith(".dat")).sorted().forEach(files::add);
            malformed.filter(p -> !p.getFileName().toString().equals("README.md")).sorted().forEach(files::add);
        }
        return files;
    }

    private static Path malformedDir() throws URISyntaxException {
        return Path.of(MessageIndexDifferentialTest.class.getResource("/malformed/README.md").toURI()).getParent();
    }

    /** Where the header block ends (after its empty line), as the framer finds it; the whole length if never. */
    static int headerLength(byte[] m) {
        for (int i = 0; i + 1 < m.length; i++) {
            if (m[i] == '\n' && m[i + 1] == '\n') {
                return i + 2;
            }
            if (m[i] == '\n' && m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n') {
                return i + 3;
            }
        }
        return m.length;
    }

    @Test
    void theIndexReadsJainSipsCallIdAndViaCountFromTheRawBytes() throws Exception {
        Map<String, String> differences = new TreeMap<>();
        int compared = 0;
        for (Path file : corpus()) {
            byte[] m = Files.readAllBytes(file);
            SIPMessage message = parsed(new SipMessageParser().parse(m)).orElse(null);
            if (message == null || message.getCallId() == null) {
                continue;
            }
            compared++;
            MessageIndex.Outcome outcome = MessageIndex.of(m, headerLength(m));
            if (!(outcome instanceof MessageIndex.Indexed indexed)) {
                differences.put(file.getFileName().toString(), outcome.toString());
                continue;
            }
            MessageIndex index = indexed.index();
            String expected = message.getCallId().getCallId();
            if (!expected.equals(index.callId())) {
                differences.put(file.getFileName().toString(), "Call-ID " + expected + " / " + index.callId());
            }
            int vias = message.getViaHeaders() == null ? 0 : message.getViaHeaders().size();
            int viaValues = 0;
            for (int i = 0; i < index.headerCount(); i++) {
                if (index.is(i, SipHeaderName.VIA)) {
                    viaValues += commaSeparated(index.value(i));
                }
            }
            if (vias != viaValues) {
                differences.put(file.getFileName().toString(), "Via values " + vias + " / " + viaValues);
            }
        }
        assertEquals(Map.of(), differences);
        assertTrue(compared >= 45, "only " + compared + " messages JAIN-SIP parses with a Call-ID");
    }

    /** Via values in one header line: commas outside quotes (Via has no angle brackets). */
    private static int commaSeparated(String value) {
        int n = 1;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                n++;
            }
        }
        return n;
    }
}
