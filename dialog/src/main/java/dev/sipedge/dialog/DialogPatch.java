package dev.sipedge.dialog;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A change an operator makes to a live dialog ({@link DialogModule#patch}), applied on its shard.
 *
 * @param lifetime a new lifetime counted from now ({@link Dialog#setLifetime}); empty: unchanged
 * @param values   values to set; an empty string removes the key
 * @param flags    the dialog's flags afterwards (replacing the old set); empty: unchanged
 */
public record DialogPatch(Optional<Duration> lifetime, Map<String, String> values, Optional<Set<String>> flags) {

    public DialogPatch {
        values = Map.copyOf(values);
        flags = flags.map(Set::copyOf);
        lifetime.ifPresent(l -> {
            if (l.isNegative() || l.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + l.toSeconds() + " s");
            }
        });
    }

    void applyTo(Dialog d) {
        lifetime.ifPresent(d::setLifetime);
        values.forEach((k, v) -> d.setValue(k, v.isEmpty() ? null : v));
        flags.ifPresent(wanted -> {
            for (String old : d.flags()) {
                if (!wanted.contains(old)) {
                    d.resetFlag(old);
                }
            }
            wanted.forEach(d::setFlag);
        });
    }
}
