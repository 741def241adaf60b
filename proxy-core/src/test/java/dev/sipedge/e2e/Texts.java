package dev.sipedge.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the logs the child processes write, for assertions and failure messages. */
final class Texts {

    private Texts() {
    }

    /** The whole file as ISO-8859-1 (SIPp writes raw bytes), or "" when it does not exist yet. */
    static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of the file, or a note that it is missing. */
    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file + ")";
        }
        List<String> all = read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
