package dev.sipedge.torture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The RFC 4475 torture messages the project carries as test resources ({@code /torture/*.dat},
 * byte exact; provenance in {@code torture/README.md}). Every test that sends or parses them finds
 * them here, on the test class path, never outside the repository.
 */
public final class TortureCorpus {

    /** The resource the folder is found by; named in the failure when it is missing. */
    static final String MARKER = "/torture/SHA256SUMS";

    private TortureCorpus() {
    }

    /** The folder of the messages; a missing corpus fails the calling test with the resource's name. */
    public static Path dir() {
        URL marker = TortureCorpus.class.getResource(MARKER);
        if (marker == null) {
            throw new AssertionError("test resource " + MARKER
                    + " not found on the class path (expected in proxy-core/src/test/resources/torture/)");
        }
        try {
            return Path.of(marker.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError("test resource " + MARKER + " has no file path: " + marker, e);
        }
    }

    /** The message file names ({@code *.dat}), sorted. */
    public static List<String> files() {
        try (Stream<Path> listing = Files.list(dir())) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exact bytes of one message; a missing file fails with its resource name. */
    public static byte[] read(String file) {
        Path path = dir().resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("test resource /torture/" + file + " not found in " + dir());
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
