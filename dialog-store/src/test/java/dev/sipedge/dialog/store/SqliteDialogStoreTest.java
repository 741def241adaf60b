package dev.sipedge.dialog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.dialog.DialogStoreException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: a SQLite file, created with its folder. */
class SqliteDialogStoreTest extends DialogStoreContract {
    @TempDir
    Path dir;
    private int databases;

    @Override
    String emptyDatabase() {
        return "jdbc:sqlite:" + dir.resolve("var" + (++databases)).resolve("dialogs.db");
    }

    @Override
    String trueLiteral() {
        return "1";
    }

    @Test
    void theFileAndItsFolderAreCreated() {
        String url = emptyDatabase();
        JdbcDialogStore.open(url, Clock.systemUTC()).close();
        assertTrue(Files.isRegularFile(Path.of(url.substring("jdbc:sqlite:".length()))));
    }

    @Test
    void theFileIsKeptInWriteAheadLogMode() throws Exception {
        String url = emptyDatabase();
        JdbcDialogStore.open(url, Clock.systemUTC()).close();
        assertEquals("wal", journalMode(url));
    }

    @Test
    void aJournalModeInTheUrlWins() throws Exception {
        String url = emptyDatabase();
        JdbcDialogStore.open(url + "?journal_mode=DELETE", Clock.systemUTC()).close();
        assertEquals("delete", journalMode(url));
    }

    /** The file's journal mode as a later connection sees it (WAL is stored in the file itself). */
    private static String journalMode(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("pragma journal_mode")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void aFolderThatCannotBeCreatedIsOneClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        DialogStoreException e = assertThrows(DialogStoreException.class,
                () -> JdbcDialogStore.open("jdbc:sqlite:" + file.resolve("sub/dialogs.db"), Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("cannot "), e.getMessage());
    }
}
