package dev.sipedge.dialog;

import java.util.Locale;

/** When dialogs are written to the store (OpenSIPS {@code db_mode} 0-3). */
public enum PersistenceMode {
    /** Nothing is kept: a restart loses every call's state. */
    NONE,
    /** Every change is written as it happens, asynchronously and batched. */
    REALTIME,
    /** Changes are coalesced and written every {@code update-period}. */
    DELAYED,
    /** Everything answered is written on a graceful stop, nothing before. */
    SHUTDOWN;

    static PersistenceMode parse(String text) {
        for (PersistenceMode m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected none, realtime, delayed or shutdown, got " + text);
    }
}
