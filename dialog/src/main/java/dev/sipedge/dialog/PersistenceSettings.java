package dev.sipedge.dialog;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code sipedge.dialog.persistence} section.
 *
 * @param url                 JDBC URL of the store: {@code jdbc:sqlite:} or {@code jdbc:postgresql:}
 * @param updatePeriod        how often {@link PersistenceMode#DELAYED} writes
 * @param startWithoutRestore start with no dialogs when the store cannot be read at start, instead
 *                            of refusing to start
 * @param maxBacklog          changes of distinct dialogs waiting for the store; beyond it, changes of
 *                            dialogs not already waiting are dropped (and counted)
 */
public record PersistenceSettings(PersistenceMode mode, String url, Duration updatePeriod,
                                  boolean startWithoutRestore, int maxBacklog) {

    public static final PersistenceSettings NONE =
            new PersistenceSettings(PersistenceMode.NONE, "jdbc:sqlite:var/dialogs.db", Duration.ofSeconds(60), false,
                    100_000);

    public PersistenceSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(updatePeriod, "updatePeriod");
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("sipedge.dialog.persistence.url: expected a jdbc:sqlite: or"
                    + " jdbc:postgresql: URL, got " + url);
        }
        if (updatePeriod.isNegative() || updatePeriod.isZero()) {
            throw new IllegalArgumentException("sipedge.dialog.persistence.update-period: must be positive, got "
                    + updatePeriod.toMillis() + "ms");
        }
        if (maxBacklog <= 0) {
            throw new IllegalArgumentException("sipedge.dialog.persistence.max-backlog: must be positive, got "
                    + maxBacklog);
        }
    }

    /** Reads {@code sipedge.dialog.persistence}; errors start with the key path. */
    public static PersistenceSettings from(Config root) {
        Config c = root.getConfig("sipedge.dialog.persistence");
        PersistenceMode mode;
        try {
            mode = PersistenceMode.parse(c.getString("mode"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sipedge.dialog.persistence.mode: " + e.getMessage(), e);
        }
        return new PersistenceSettings(mode, c.getString("url"), c.getDuration("update-period"),
                c.getBoolean("start-without-restore"), c.getInt("max-backlog"));
    }

    public boolean enabled() {
        return mode != PersistenceMode.NONE;
    }
}
