package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The index is our own parser of untrusted bytes, so it is fuzzed. In a plain build the seeds in
 * {@code MessageIndexFuzzTestInputs/} run as regression cases, and {@link #theCorpusKeepsTheProperty}
 * runs the torture and malformed corpora; {@code scripts/fuzz} runs the fuzzer itself
 * ({@code JAZZER_FUZZ=1}) for a bounded time.
 */
class MessageIndexFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void indexingNeverFailsAndStaysInBounds(byte[] data) {
        if (data.length == 0) {
            return;
        }
        // the first byte picks where the framer said the header block ends, past the end included
        int headerLength = (data[0] & 0xff) * data.length / 255 + (data[0] == -1 ? 3 : 0);
        holdsTheProperty(data, headerLength);
    }

    @Test
    void theCorpusKeepsTheProperty() throws Exception {
        for (Path file : MessageIndexDifferentialTest.corpus()) {
            byte[] m = Files.readAllBytes(file);
            holdsTheProperty(m, MessageIndexDifferentialTest.headerLength(m));
            holdsTheProperty(m, m.length);
        }
    }

    /**
     * No exception; at most {@value MessageIndex#MAX_HEADERS} headers; every name non-empty and
     * without a line break or colon; every value without a line break (unfolded) and trimmed;
     * lookups never throw and agree with the line-by-line view.
     */
    static void holdsTheProperty(byte[] data, int headerLength) {
        MessageIndex.Outcome outcome = MessageIndex.of(data, headerLength);
        if (!(outcome instanceof MessageIndex.Indexed indexed)) {
            assertTrue(((MessageIndex.NotIndexable) outcome).reason().startsWith("more than"));
            return;
        }
        MessageIndex index = indexed.index();
        assertTrue(index.headerCount() <= MessageIndex.MAX_HEADERS);
        assertFalse(index.startLine().contains("\n"));
        int callIds = 0;
        for (int i = 0; i < index.headerCount(); i++) {
            String name = index.name(i);
            String value = index.value(i);
            assertFalse(name.isEmpty() || name.contains(":") || name.contains("\n") || name.contains("\r"), name);
            assertFalse(value.contains("\n") || value.contains("\r"), value);
            assertFalse(value.startsWith(" ") || value.startsWith("\t") || value.endsWith(" ") || value.endsWith("\t"),
                    "untrimmed: [" + value + "]");
            if (index.is(i, SipHeaderName.CALL_ID)) {
                callIds++;
            }
        }
        assertEquals(callIds, index.count(SipHeaderName.CALL_ID));
        String callId = index.callId();
        assertTrue(callId == null || !callId.isEmpty());
        for (SipHeaderName header : SipHeaderName.values()) {
            index.first(header);
        }
    }
}
