package dev.sipedge.dialog.store;

import dev.sipedge.dialog.DialogStoreException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings the database to the schema this build knows ({@code db/sipedge/V*.sql}), versioned by
 * Flyway in its own history table. A database migrated by a newer sipedge is refused rather than
 * used: its rows may hold what this code would misread or lose on the next write.
 */
final class SchemaMigrations {
    static final String LOCATION = "classpath:db/sipedge";
    static final String HISTORY_TABLE = "sipedge_schema_history";

    private SchemaMigrations() {
    }

    /** Migrates {@code dataSource}; returns the schema version now in force. */
    static String migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .loggers("slf4j")
                .load();
        try {
            for (MigrationInfo applied : flyway.info().applied()) {
                if (applied.getState() == MigrationState.FUTURE_SUCCESS
                        || applied.getState() == MigrationState.FUTURE_FAILED) {
                    throw new DialogStoreException("the dialog database has schema version " + applied.getVersion()
                            + ", newer than this sipedge knows (" + latestKnown(flyway) + "): upgrade sipedge or use another database");
                }
            }
            flyway.migrate();
            MigrationInfo current = flyway.info().current();
            return current == null ? "none" : current.getVersion().toString();
        } catch (FlywayException e) {
            throw new DialogStoreException("dialog database migration failed: " + e.getMessage(), e);
        }
    }

    private static String latestKnown(Flyway flyway) {
        String latest = "none";
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getState() != MigrationState.FUTURE_SUCCESS && info.getState() != MigrationState.FUTURE_FAILED
                    && info.getVersion() != null) {
                latest = info.getVersion().toString();
            }
        }
        return latest;
    }
}
