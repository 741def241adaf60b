package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.parsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The relay edit writes what leaves the proxy from bytes a stranger sent, so it is fuzzed: for any
 * message the parser takes as a clean request, the forwarding edits either decline
 * ({@link RequestRelayEdit.NotEdited}) or give bytes no longer than the input and its encoding
 * together that, wherever the encoder's output parses, parse cleanly too and say, header by header, what
 * the encoder would have sent (less the headers JAIN-SIP does not read back as it writes them,
 * which go out verbatim); nothing throws.
 * The seeds in {@code RequestRelayEditFuzzTestInputs/} (requests of every form the edits meet, from
 * the crafted set and the torture corpus) run in every build; {@code scripts/fuzz} fuzzes for real.
 */
class RequestRelayEditFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void anEditedRequestSaysWhatTheEncoderWouldSay(byte[] input) throws Exception {
        byte[] data = RequestRelayEditTest.framed(input);
        if (data == null
                || !(parsed(new SipMessageParser().parse(data, MessageIndexDifferentialTest.headerLength(data)))
                        .orElse(null) instanceof SIPRequest received)
                || ReceivedRequestBytes.of(received) == null) {
            return;
        }
        SIPRequest copy;
        try {
            copy = RequestRelayEditTest.forwarded(received);
        } catch (Exception | AssertionError e) {
            return;     // the test's stand-in for the proxy refuses this request (the validator would answer it)
        }
        byte[] wire = RequestRelayEditTest.edited(copy);
        if (wire != null) {
            ReceivedBytes.forget(copy);
            byte[] reference = RequestRelayEditTest.encode(copy);
            // what the edit writes from the object (our lines, the stamped Via) is what the encoder
            // writes for it, which can outgrow the input (JAIN-SIP escapes a Via comment again):
            // bounded by the input plus the encoding, never more
            assertTrue(wire.length <= data.length + reference.length,
                    "grew by " + (wire.length - data.length) + ", encoded " + reference.length);
            Map<String, List<String>> encoded = RelayCheck.headerByHeader(reference);
            if (!encoded.containsKey(RelayCheck.FAILURE)) {
                // JAIN-SIP's encoding of odd input may not parse (a Via it read leniently and writes
                // back with the stamped received): then the encoder is no reference, and the edit,
                // which writes that Via the same way, no worse
                Map<String, List<String>> edited = RequestRelayEditTest.headerByHeader(wire);     // parses cleanly
                // headers JAIN-SIP does not read back as it writes them go out verbatim: not comparable
                Set<String> unstable = RelayCheck.notRoundTripped(data);
                assertEquals(RelayCheck.without(encoded, unstable), RelayCheck.without(edited, unstable),
                        new String(wire, StandardCharsets.ISO_8859_1));
            }
        }
    }
}
