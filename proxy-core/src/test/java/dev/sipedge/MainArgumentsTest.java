package dev.sipedge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code sipedge.jar}. */
class MainArgumentsTest {
    @TempDir
    Path dir;

    @Test
    void configAndCheckConfigInEitherOrder() throws IOException {
        Path file = Files.writeString(dir.resolve("x.conf"), "sipedge {}");
        Main.Arguments a = Main.Arguments.parse(new String[] {"--check-config", "--config", file.toString()});
        assertTrue(a.checkOnly());
        assertEquals(file.toFile(), a.config());
        assertEquals(file.toString(), a.source());
        Main.Arguments b = Main.Arguments.parse(new String[] {"--config=" + file});
        assertFalse(b.checkOnly());
        assertEquals(file.toFile(), b.config());
    }

    @Test
    void unknownArgumentsAndMissingFilesAreUsageErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Main.Arguments.parse(new String[] {"--check"}));
        assertEquals("unknown argument: --check", unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Main.Arguments.parse(new String[] {"--config", dir.resolve("none.conf").toString()}));
        assertTrue(missing.getMessage().startsWith("config file not found"), missing.getMessage());
    }
}
