package dev.sipedge.proxy.validation;

import dev.sipedge.torture.TortureCorpus;
import dev.sipedge.transport.ParseDefects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every RFC 4475 torture message ({@link TortureCorpus}, byte exact) through the pipeline the proxy
 * uses: {@link ParseDefects#parse} then {@link RequestValidator#validate(SIPRequest, ParseDefects)}.
 *
 * <p>Outcome column: a status ({@code 0} = relay), {@code PARSE_FAILURE} (JAIN-SIP builds no
 * message), {@code RESPONSE} (a well-formed response: not validated here) or
 * {@code BAD_RESPONSE} (a response with unparseable fields: the proxy drops it). Where RFC 4475
 * lets an element choose between rejecting and being liberal (badaspec, baddn, lwsstart, trws,
 * baddate), the proxy is liberal: JAIN-SIP normalizes those on re-encoding.
 */
class TortureMessagesTest {

    private final RequestValidator validator = new RequestValidator(Set.of());

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // RFC 4475 §3.1.1 valid messages
            "wsinv.dat      | 0   | -",
            "intmeth.dat    | 0   | -",
            "esc01.dat      | 0   | -",
            "escnull.dat    | 0   | -",
            "esc02.dat      | 0   | -",
            "lwsdisp.dat    | 0   | -",
            "longreq.dat    | 0   | -",
            "dblreq.dat     | 0   | -",
            "semiuri.dat    | 0   | -",
            "transports.dat | 0   | -",
            "mpart01.dat    | 0   | -",
            "unreason.dat   | RESPONSE | -",
            "noreason.dat   | RESPONSE | -",
            // §3.1.2 invalid messages
            "badinv01.dat   | 400 | Malformed Via",
            "clerr.dat      | PARSE_FAILURE | -",
            "scalar02.dat   | 400 | Malformed CSeq",
            "scalarlg.dat   | BAD_RESPONSE | -",
            "quotbal.dat    | 400 | Malformed To",
            "ltgtruri.dat   | 400 | Malformed Request-Line",
            "lwsruri.dat    | 400 | Malformed Request-Line",
            "lwsstart.dat   | 0   | -",
            "trws.dat       | 0   | -",
            "escruri.dat    | 400 | Headers not allowed in Request-URI",
            "baddate.dat    | 0   | -",
            "regbadct.dat   | 400 | enclosed in <>",
            "badaspec.dat   | 0   | -",
            "baddn.dat      | 0   | -",
            "badvers.dat    | 505 | Version Not Supported",
            "mismatch01.dat | 400 | CSeq method",
            "mismatch02.dat | 400 | CSeq method",
            "bigcode.dat    | BAD_RESPONSE | -",
            // §3.2 transaction layer
            "badbranch.dat  | 0   | -",
            // §3.3 application layer
            "insuf.dat      | 400 | Missing To",
            "unkscm.dat     | 416 | Unsupported URI Scheme",
            "novelsc.dat    | 416 | Unsupported URI Scheme",
            "unksm2.dat     | 0   | -",
            "bext01.dat     | 420 | Bad Extension",
            "invut.dat      | 0   | -",
            "regaut01.dat   | 0   | -",
            "multi01.dat    | 400 | Multiple",
            "mcl01.dat      | 400 | Multiple Content-Length",
            "bcast.dat      | RESPONSE | -",
            "zeromf.dat     | 483 | Too Many Hops",
            "cparam01.dat   | 0   | -",
            "cparam02.dat   | 0   | -",
            "regescrt.dat   | 0   | -",
            "sdp01.dat      | 0   | -",
            "inv2543.dat    | 0   | -",
            "ncl.dat        | 400 | Malformed Content-Length",
            // not from RFC 4475: an extra fixture of the source repository (no SIP version, bad To/From)
            "test.dat       | 400 | Malformed Request-Line",
    })
    void outcome(String file, String expected, String reasonFragment) throws IOException {
        byte[] bytes = TortureCorpus.read(file);
        ParseDefects defects = new ParseDefects();

        if (expected.equals("PARSE_FAILURE")) {
            assertThrows(ParseException.class, () -> ParseDefects.parse(bytes, defects));
            return;
        }
        SIPMessage message = assertDoesNotThrowParse(bytes, defects, file);
        switch (expected) {
            case "RESPONSE" -> {
                assertInstanceOf(SIPResponse.class, message, file);
                assertTrue(defects.malformed().isEmpty(), () -> file + ": " + defects);
            }
            case "BAD_RESPONSE" -> {
                assertInstanceOf(SIPResponse.class, message, file);
                assertFalse(defects.malformed().isEmpty(), file + " should record a defect");
            }
            default -> {
                SIPRequest request = assertInstanceOf(SIPRequest.class, message, file);
                Verdict verdict = validator.validate(request, defects);
                if (expected.equals("0")) {
                    assertEquals(Verdict.PASS, verdict, () -> file + ": " + defects);
                    return;
                }
                Verdict.Reject reject = assertInstanceOf(Verdict.Reject.class, verdict, () -> file + ": " + defects);
                assertEquals(Integer.parseInt(expected), reject.status(), () -> file + ": " + reject + " " + defects);
                if (reasonFragment != null) {
                    assertTrue(reject.reason().contains(reasonFragment), () -> file + ": " + reject);
                }
                if (reject.status() == 420) {
                    assertEquals(List.of("noProxiesSupportThis", "norDoAnyProxiesSupportThis"), reject.unsupported());
                }
            }
        }
    }

    @Test
    void tableCoversEveryTortureFile() throws Exception {
        Set<String> inTable = new TreeSet<>();
        CsvSource rows = getClass().getDeclaredMethod("outcome", String.class, String.class, String.class)
                .getAnnotation(CsvSource.class);
        for (String row : rows.value()) {
            inTable.add(row.split("\\|")[0].strip());
        }
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(TortureCorpus.dir())) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertFalse(onDisk.isEmpty());
        assertEquals(onDisk, inTable, "every torture file needs a row with its expected outcome");
    }

    @Test
    void withoutTheAuditSomeInvalidMessagesWouldPass() throws Exception {
        // Documents why the proxy must parse with ParseDefects: the model alone hides these.
        for (String file : List.of("multi01.dat", "mcl01.dat", "ncl.dat", "badvers.dat")) {
            byte[] bytes = TortureCorpus.read(file);
            SIPRequest request = (SIPRequest) ParseDefects.parse(bytes, new ParseDefects());
            boolean caughtWithoutAudit = !validator.validate(request).ok();
            assertEquals(file.equals("badvers.dat"), caughtWithoutAudit, file);
        }
    }

    private static SIPMessage assertDoesNotThrowParse(byte[] bytes, ParseDefects defects, String file) {
        try {
            SIPMessage message = ParseDefects.parse(bytes, defects);
            assertNotNull(message, file);
            return message;
        } catch (ParseException e) {
            throw new AssertionError(file + " should parse: " + e.getMessage(), e);
        }
    }
}
