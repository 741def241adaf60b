package dev.sipedge.dialog;

import java.util.Objects;

/**
 * One entry of a route's {@code dialog.profiles}: put each tracked dialog into profile
 * {@code name} (with the value {@code value} evaluates to, for profiles with value), and when
 * {@code max > 0} refuse the INVITE that would make the profile (for that value) larger than
 * {@code max} with {@code rejectStatus}: call limiting per user or per trunk.
 *
 * @param value null for profiles without value
 */
public record ProfileRule(String name, ValueTemplate value, int max, int rejectStatus) {
    public ProfileRule {
        Objects.requireNonNull(name, "name");
        if (max < 0) {
            throw new IllegalArgumentException("profile " + name + ": max must not be negative");
        }
        if (rejectStatus < 300 || rejectStatus > 699) {
            throw new IllegalArgumentException("profile " + name + ": reject must be a 3xx-6xx status: " + rejectStatus);
        }
    }
}
