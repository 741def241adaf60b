package dev.sipedge.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The carried copy is complete and byte exact: a rewritten line end or a lost NUL shows here first. */
class TortureCorpusTest {

    @Test
    void everyFileMatchesItsRecordedChecksum() throws IOException, NoSuchAlgorithmException {
        Map<String, String> recorded = new TreeMap<>();
        for (String line : Files.readAllLines(TortureCorpus.dir().resolve("SHA256SUMS"), StandardCharsets.US_ASCII)) {
            String[] parts = line.split("\\s+", 2);
            recorded.put(parts[1].strip(), parts[0]);
        }
        Map<String, String> actual = new TreeMap<>();
        for (String file : TortureCorpus.files()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(TortureCorpus.read(file));
            actual.put(file, HexFormat.of().formatHex(digest));
        }
        assertEquals(50, recorded.size(), "RFC 4475 section 3's 49 messages plus test.dat");
        assertEquals(recorded, actual);
    }

    @Test
    void headersEndInCrlfAndEightBitBytesSurvive() {
        // A checkout that rewrote line ends would leave a bare LF in some header section; one that
        // re-encoded text would change the UTF-8 and binary bytes of these three.
        for (String file : TortureCorpus.files()) {
            String text = new String(TortureCorpus.read(file), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0, file + ": no CRLF CRLF ends its headers");
            assertEquals(-1, text.substring(0, end).replace("\r\n", "").indexOf('\n'), file + ": bare LF in its headers");
        }
        for (String file : List.of("intmeth.dat", "mpart01.dat", "unreason.dat")) {
            byte[] bytes = TortureCorpus.read(file);
            int high = 0;
            for (byte b : bytes) {
                high += (b & 0x80) != 0 ? 1 : 0;
            }
            assertTrue(high > 0, file + " lost its 8-bit bytes");
        }
    }
}
