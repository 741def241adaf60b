package dev.sipedge.dialog;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A route's {@code dialog { }} block: whether its initial INVITEs get a dialog, with which
 * lifetime, into which profiles, and how its legs will be probed.
 *
 * <pre>
 * dialog {
 *   track = true
 *   timeout = 2h                     # default: sipedge.dialog.default-timeout
 *   bye-on-timeout = false           # send BYE to both legs when the lifetime ends
 *   ping-caller = none               # none | options | reinvite
 *   ping-callee = none
 *   profiles = [ { name = caller, value = "${from.user}", max = 5, reject = 486 }, { name = inbound } ]
 * }
 * </pre>
 *
 * @param timeout null: the module's default timeout
 */
public record DialogOptions(boolean track, Duration timeout, PingMode pingCaller, PingMode pingCallee,
                            List<ProfileRule> profiles, boolean byeOnTimeout) {

    /** Options without BYE on timeout. */
    public DialogOptions(boolean track, Duration timeout, PingMode pingCaller, PingMode pingCallee,
                         List<ProfileRule> profiles) {
        this(track, timeout, pingCaller, pingCallee, profiles, false);
    }

    /** Not tracked. */
    public static final DialogOptions NONE = new DialogOptions(false, null, PingMode.NONE, PingMode.NONE, List.of());
    /** Tracked with every default. */
    public static final DialogOptions TRACK = new DialogOptions(true, null, PingMode.NONE, PingMode.NONE, List.of());

    /** The keys of a route's {@code dialog} block; proxy-core's configuration check refuses any other. */
    public static final Set<String> KEYS =
            Set.of("track", "timeout", "ping-caller", "ping-callee", "profiles", "bye-on-timeout");
    /** The keys of one {@code profiles} entry. */
    public static final Set<String> PROFILE_KEYS = Set.of("name", "value", "max", "reject");

    public DialogOptions {
        profiles = List.copyOf(profiles);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout: must be positive, got " + timeout.toMillis() + "ms");
        }
    }

    /**
     * Reads a route's {@code dialog} block ({@code where} names it in error messages). Profile
     * names are checked against the declared ones when the module starts
     * ({@link DialogModule#checkOptions}).
     */
    public static DialogOptions from(Config c, String where) {
        try {
            for (String key : c.root().keySet()) {
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown key '" + key + "' (known: " + KEYS + ")");
                }
            }
            List<ProfileRule> rules = new ArrayList<>();
            if (c.hasPath("profiles")) {
                List<? extends Config> entries = c.getConfigList("profiles");
                for (int i = 0; i < entries.size(); i++) {
                    rules.add(profile(entries.get(i), "profiles[" + i + "]"));
                }
            }
            boolean track = c.hasPath("track") && c.getBoolean("track");
            boolean bye = c.hasPath("bye-on-timeout") && c.getBoolean("bye-on-timeout");
            PingMode pingCaller = pingMode(c, "ping-caller");
            PingMode pingCallee = pingMode(c, "ping-callee");
            if (!track && (!rules.isEmpty() || bye || pingCaller != PingMode.NONE || pingCallee != PingMode.NONE)) {
                throw new IllegalArgumentException("dialog.profiles, bye-on-timeout and ping-* need dialog.track = true");
            }
            return new DialogOptions(track,
                    c.hasPath("timeout") ? c.getDuration("timeout") : null,
                    pingCaller, pingCallee, rules, bye);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static ProfileRule profile(Config p, String key) {
        try {
            return new ProfileRule(p.getString("name"),
                    p.hasPath("value") ? ValueTemplate.parse(p.getString("value")) : null,
                    p.hasPath("max") ? p.getInt("max") : 0,
                    p.hasPath("reject") ? p.getInt("reject") : 486);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static PingMode pingMode(Config c, String key) {
        if (!c.hasPath(key)) {
            return PingMode.NONE;
        }
        try {
            return PingMode.parse(c.getString(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    public DialogOptions withTimeout(Duration lifetime) {
        return new DialogOptions(track, lifetime, pingCaller, pingCallee, profiles, byeOnTimeout);
    }

    public DialogOptions withProfiles(List<ProfileRule> rules) {
        return new DialogOptions(track, timeout, pingCaller, pingCallee, rules, byeOnTimeout);
    }

    public DialogOptions withByeOnTimeout(boolean on) {
        return new DialogOptions(track, timeout, pingCaller, pingCallee, profiles, on);
    }

    public DialogOptions withPings(PingMode caller, PingMode callee) {
        return new DialogOptions(track, timeout, caller, callee, profiles, byeOnTimeout);
    }

    /** True when the route pings either leg. */
    public boolean pings() {
        return pingCaller != PingMode.NONE || pingCallee != PingMode.NONE;
    }
}
