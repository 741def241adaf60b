package dev.sipedge.dialog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.dialog.DialogRecord;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.DialogStoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database behind {@link JdbcDialogStore} must do; one subclass per database, so the
 * same suite runs against SQLite and PostgreSQL.
 */
abstract class DialogStoreContract {
    private JdbcDialogStore store;

    /** A JDBC URL of an empty database for one test. */
    abstract String emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = JdbcDialogStore.open(emptyDatabase(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void randomDialogsInEveryStateComeBackFieldByField() {
        for (long seed = 1; seed <= 5; seed++) {
            RandomDialogs dialogs = new RandomDialogs(seed);
            List<DialogRecord> saved = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                saved.add(dialogs.next());
            }
            store.save(saved);
            Map<String, DialogRecord> loaded = byId(store.loadAll());
            for (DialogRecord expected : saved) {
                DialogRecord actual = loaded.get(expected.id());
                assertEquals(expected.callId(), actual.callId(), "call-id of " + expected.id());
                assertEquals(expected.caller(), actual.caller(), "caller leg of " + expected.id());
                assertEquals(expected.callee(), actual.callee(), "callee leg of " + expected.id());
                assertEquals(expected.values(), actual.values(), "values of " + expected.id());
                assertEquals(expected.flags(), actual.flags(), "flags of " + expected.id());
                assertEquals(expected.profiles(), actual.profiles(), "profiles of " + expected.id());
                assertEquals(expected, actual, "seed " + expected.id());
            }
            store.delete(saved.stream().map(DialogRecord::id).toList());
        }
        assertEquals(List.of(), store.loadAll());
    }

    @Test
    void saveReplacesTheStoredDialogAndDeleteRemovesOnlyTheNamedOnes() {
        RandomDialogs dialogs = new RandomDialogs(42);
        DialogRecord a = dialogs.next();
        DialogRecord b = dialogs.next();
        store.save(List.of(a, b));
        DialogRecord aLater = new DialogRecord(a.id(), a.callId(), DialogState.CONFIRMED, a.inviteCseq(), a.startTime(),
                a.answerTime(), a.expiresAt().plusSeconds(60), a.lifetime(), a.byeOnTimeout(), a.pingCaller(),
                a.pingCallee(), a.caller(), a.callee(), Map.of("k", "v"), a.flags(), a.profiles());
        store.save(List.of(aLater));
        assertEquals(byId(List.of(aLater, b)), byId(store.loadAll()));
        store.delete(List.of(b.id(), "not-stored"));
        assertEquals(List.of(aLater), store.loadAll());
    }

    @Test
    void emptyBatchesTouchNothing() {
        store.save(List.of());
        store.delete(List.of());
        assertTrue(store.loadAll().isEmpty());
    }

    @Test
    void anEmptyDatabaseIsMigratedToTheLatestSchemaAndReopeningKeepsTheRows() throws Exception {
        String url = emptyDatabase();
        DialogRecord one = new RandomDialogs(7).next();
        try (JdbcDialogStore first = JdbcDialogStore.open(url, Clock.systemUTC())) {
            assertEquals("1", first.schemaVersion());
            first.save(List.of(one));
        }
        try (JdbcDialogStore again = JdbcDialogStore.open(url, Clock.systemUTC())) {
            assertEquals("1", again.schemaVersion());
            assertEquals(List.of(one), again.loadAll());
        }
    }

    @Test
    void aSchemaNewerThanTheCodeIsRefusedWithItsVersion() throws Exception {
        String url = emptyDatabase();
        JdbcDialogStore.open(url, Clock.systemUTC()).close();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            // what a later sipedge's migration V99 would have left in the history table
            s.executeUpdate("INSERT INTO " + SchemaMigrations.HISTORY_TABLE
                    + " (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)"
                    + " VALUES (99, '99', 'from a newer sipedge', 'SQL', 'V99__newer.sql', 0, 'test', 1, " + trueLiteral() + ")");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        DialogStoreException e = assertThrows(DialogStoreException.class, () -> JdbcDialogStore.open(url, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("newer than this sipedge"),
                e.getMessage());
    }

    /** How the database writes a true boolean in the history table's success column. */
    abstract String trueLiteral();

    private static Map<String, DialogRecord> byId(List<DialogRecord> records) {
        Map<String, DialogRecord> map = new TreeMap<>(Comparator.naturalOrder());
        for (DialogRecord r : records) {
            map.put(r.id(), r);
        }
        return map;
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
