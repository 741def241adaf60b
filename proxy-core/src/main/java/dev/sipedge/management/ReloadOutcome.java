package dev.sipedge.management;

import java.util.List;

/** The result of a configuration reload: applied (with what changed), or refused (the running config stays). */
public sealed interface ReloadOutcome {

    /**
     * @param changed     keys whose new values now apply to new requests (e.g. {@code sipedge.routes})
     * @param needRestart keys that changed in the file but only take effect after a restart
     */
    record Applied(List<String> changed, List<String> needRestart) implements ReloadOutcome {
        public Applied {
            changed = List.copyOf(changed);
            needRestart = List.copyOf(needRestart);
        }
    }

    /** @param error the one-line reason, as a configuration error is reported at start */
    record Refused(String error) implements ReloadOutcome {
    }
}
