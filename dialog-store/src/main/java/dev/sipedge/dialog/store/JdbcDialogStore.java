package dev.sipedge.dialog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sipedge.dialog.DialogRecord;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.DialogStore;
import dev.sipedge.dialog.DialogStoreException;
import dev.sipedge.dialog.PingMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * {@link DialogStore} on JDBC: a SQLite file by default (no server to run), PostgreSQL in
 * production. The SQL is the subset both speak (an upsert with {@code ON CONFLICT}, no
 * vendor types). Connections come from a HikariCP pool; the caller runs every method on the
 * store's own thread.
 */
public final class JdbcDialogStore implements DialogStore {
    private static final String COLUMNS = "id, call_id, state, invite_cseq, start_ms, answer_ms, expires_ms, lifetime_ms,"
            + " bye_on_timeout, ping_caller, ping_callee, caller_leg, callee_leg, dialog_values, flags, profiles, updated_ms";
    private static final String UPSERT = "INSERT INTO sipedge_dialogs (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET call_id = excluded.call_id, state = excluded.state,"
            + " invite_cseq = excluded.invite_cseq, start_ms = excluded.start_ms, answer_ms = excluded.answer_ms,"
            + " expires_ms = excluded.expires_ms, lifetime_ms = excluded.lifetime_ms,"
            + " bye_on_timeout = excluded.bye_on_timeout, ping_caller = excluded.ping_caller,"
            + " ping_callee = excluded.ping_callee, caller_leg = excluded.caller_leg, callee_leg = excluded.callee_leg,"
            + " dialog_values = excluded.dialog_values, flags = excluded.flags, profiles = excluded.profiles,"
            + " updated_ms = excluded.updated_ms";
    private static final String DELETE = "DELETE FROM sipedge_dialogs WHERE id = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM sipedge_dialogs";

    private final HikariDataSource pool;
    private final DialogRowCodec codec = new DialogRowCodec();
    private final Clock clock;
    private final String schemaVersion;

    private JdbcDialogStore(HikariDataSource pool, Clock clock, String schemaVersion) {
        this.pool = pool;
        this.clock = clock;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Opens the database at {@code jdbcUrl} ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...}),
     * creating a SQLite file's folder, and migrates its schema.
     *
     * @throws DialogStoreException when the database cannot be reached or its schema is newer than this code
     */
    public static JdbcDialogStore open(String jdbcUrl, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("sipedge-dialog-store");
        config.setAutoCommit(false);
        // SQLite has one writer at a time: more connections would only wait on its file lock.
        config.setMaximumPoolSize(isSqlite(jdbcUrl) ? 1 : 4);
        if (isSqlite(jdbcUrl)) {
            // A write-ahead log synced at checkpoints: a batch costs one append instead of the
            // rollback journal's several fsyncs, and a committed batch survives a kill -9 of the
            // proxy (only a power loss can take the last ones).
            defaultPragma(config, jdbcUrl, "journal_mode", "WAL");
            defaultPragma(config, jdbcUrl, "synchronous", "NORMAL");
        }
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        // Fail at once when the database is unreachable: start-up reports it in one line.
        config.setInitializationFailTimeout(1);
        HikariDataSource pool;
        try {
            createSqliteFolder(jdbcUrl);
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DialogStoreException("cannot open the dialog database " + redacted(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            return new JdbcDialogStore(pool, clock, SchemaMigrations.migrate(pool));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The schema version the database is at after opening. */
    public String schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void save(Collection<DialogRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        long now = clock.millis();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (DialogRecord r : records) {
                    bind(ps, r, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }, "save " + records.size() + " dialog(s)");
    }

    @Override
    public void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(DELETE)) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }, "delete " + ids.size() + " dialog(s)");
    }

    @Override
    public List<DialogRecord> loadAll() {
        List<DialogRecord> all = new ArrayList<>();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(row(rs));
                }
            }
        }, "load dialogs");
        return all;
    }

    @Override
    public void close() {
        pool.close();
    }

    private void bind(PreparedStatement ps, DialogRecord r, long now) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.callId());
        ps.setString(3, r.state().name());
        ps.setLong(4, r.inviteCseq());
        ps.setLong(5, r.startTime().toEpochMilli());
        ps.setLong(6, r.answerTime().toEpochMilli());
        ps.setLong(7, r.expiresAt().toEpochMilli());
        ps.setLong(8, r.lifetime().toMillis());
        ps.setInt(9, r.byeOnTimeout() ? 1 : 0);
        ps.setString(10, r.pingCaller().name());
        ps.setString(11, r.pingCallee().name());
        ps.setString(12, codec.leg(r.caller()));
        ps.setString(13, codec.leg(r.callee()));
        ps.setString(14, codec.values(r.values()));
        ps.setString(15, codec.flags(r.flags()));
        ps.setString(16, codec.profiles(r.profiles()));
        ps.setLong(17, now);
    }

    private DialogRecord row(ResultSet rs) throws SQLException {
        return new DialogRecord(rs.getString("id"), rs.getString("call_id"), DialogState.valueOf(rs.getString("state")),
                rs.getLong("invite_cseq"), Instant.ofEpochMilli(rs.getLong("start_ms")),
                Instant.ofEpochMilli(rs.getLong("answer_ms")), Instant.ofEpochMilli(rs.getLong("expires_ms")),
                Duration.ofMillis(rs.getLong("lifetime_ms")), rs.getInt("bye_on_timeout") != 0,
                PingMode.valueOf(rs.getString("ping_caller")), PingMode.valueOf(rs.getString("ping_callee")),
                codec.leg(rs.getString("caller_leg")), codec.leg(rs.getString("callee_leg")),
                codec.values(rs.getString("dialog_values")), codec.flags(rs.getString("flags")),
                codec.profiles(rs.getString("profiles")));
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work, String what) {
        try (Connection c = pool.getConnection()) {
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DialogStoreException("dialog store: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** The driver lets connection properties override the URL's pragmas: set one only when the URL has none. */
    private static void defaultPragma(HikariConfig config, String url, String pragma, String value) {
        int query = url.indexOf('?');
        if (query < 0 || !(url.substring(query).toLowerCase(Locale.ROOT).matches(".*[?&]" + pragma + "=.*"))) {
            config.addDataSourceProperty(pragma, value);
        }
    }

    private static boolean isSqlite(String url) {
        return url.startsWith("jdbc:sqlite:");
    }

    private static void createSqliteFolder(String url) {
        if (!isSqlite(url)) {
            return;
        }
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        file = query >= 0 ? file.substring(0, query) : file;
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DialogStoreException("cannot create the folder of the dialog database " + parent + ": " + e.getMessage(), e);
        }
    }

    /** The URL without a password parameter, for messages. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
