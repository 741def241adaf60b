package dev.sipedge.dialog;

import com.typesafe.config.Config;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code sipedge.dialog} section. The only place of this module, with {@link DialogOptions}
 * for the per-route block, that reads {@link Config}.
 *
 * @param nodeId  first part of every did cookie; unique per node (random at start when unset)
 * @param rrParam name of the Record-Route parameter that carries the cookie
 * @param noAckTimeout how long an answered dialog waits for the ACK of its 2xx before it ends
 */
public record DialogSettings(String nodeId, String rrParam, MatchMode matchMode, boolean validate,
                             Duration defaultTimeout, boolean resetTimeoutOnSequential, Duration deleteDelay,
                             boolean detectSpirals, List<String> profilesWithValue, List<String> profilesNoValue,
                             DialogRequestSettings requests, Duration noAckTimeout) {

    /** Kamailio's {@code noack_timeout}. */
    public static final Duration DEFAULT_NOACK_TIMEOUT = Duration.ofSeconds(60);

    /** Settings with the default no-ACK timeout. */
    public DialogSettings(String nodeId, String rrParam, MatchMode matchMode, boolean validate, Duration defaultTimeout,
                          boolean resetTimeoutOnSequential, Duration deleteDelay, boolean detectSpirals,
                          List<String> profilesWithValue, List<String> profilesNoValue, DialogRequestSettings requests) {
        this(nodeId, rrParam, matchMode, validate, defaultTimeout, resetTimeoutOnSequential, deleteDelay, detectSpirals,
                profilesWithValue, profilesNoValue, requests, DEFAULT_NOACK_TIMEOUT);
    }

    /** Settings with the default {@link DialogRequestSettings}. */
    public DialogSettings(String nodeId, String rrParam, MatchMode matchMode, boolean validate, Duration defaultTimeout,
                          boolean resetTimeoutOnSequential, Duration deleteDelay, boolean detectSpirals,
                          List<String> profilesWithValue, List<String> profilesNoValue) {
        this(nodeId, rrParam, matchMode, validate, defaultTimeout, resetTimeoutOnSequential, deleteDelay, detectSpirals,
                profilesWithValue, profilesNoValue, DialogRequestSettings.defaults());
    }

    public DialogSettings {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(noAckTimeout, "noAckTimeout");
        if (noAckTimeout.isNegative() || noAckTimeout.isZero()) {
            throw new IllegalArgumentException("sipedge.dialog.noack-timeout must be positive, got "
                    + noAckTimeout.toMillis() + "ms");
        }
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(rrParam, "rrParam");
        Objects.requireNonNull(matchMode, "matchMode");
        if (!isCookieToken(nodeId) || nodeId.isEmpty()) {
            throw new IllegalArgumentException("sipedge.dialog.node-id must be letters, digits, '-' or '_': " + nodeId);
        }
        if (rrParam.isEmpty() || !isCookieToken(rrParam)) {
            throw new IllegalArgumentException("sipedge.dialog.rr-param must be letters, digits, '-' or '_': " + rrParam);
        }
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("sipedge.dialog.default-timeout must be positive, got "
                    + defaultTimeout.toMillis() + "ms");
        }
        if (deleteDelay.isNegative()) {
            throw new IllegalArgumentException("sipedge.dialog.delete-delay must not be negative, got "
                    + deleteDelay.toMillis() + "ms");
        }
        profilesWithValue = List.copyOf(profilesWithValue);
        profilesNoValue = List.copyOf(profilesNoValue);
        for (String name : profilesWithValue) {
            if (profilesNoValue.contains(name)) {
                throw new IllegalArgumentException("sipedge.dialog.profiles.no-value: profile '" + name
                        + "' is declared in with-value too; a profile has values or not");
            }
        }
    }

    /** Defaults with a random node id; for tests and embedders. */
    public static DialogSettings defaults() {
        return new DialogSettings(randomNodeId(), "did", MatchMode.DID_FALLBACK, false, Duration.ofHours(12), true,
                Duration.ZERO, true, List.of(), List.of());
    }

    /**
     * Reads {@code sipedge.dialog} from a resolved config that includes reference.conf. Unknown keys
     * are refused before this runs (proxy-core's ConfigChecker); a bad value throws an
     * {@link IllegalArgumentException} whose message starts with the key path.
     */
    public static DialogSettings from(Config root) {
        Config c = root.getConfig("sipedge.dialog");
        PersistenceSettings.from(root);     // checked here so that the configuration check sees it
        MatchMode matchMode;
        try {
            matchMode = MatchMode.parse(c.getString("match-mode"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sipedge.dialog." + e.getMessage(), e);
        }
        String nodeId = c.hasPath("node-id") ? c.getString("node-id")
                : PersistenceSettings.from(root).enabled() ? storeNodeId(c.getString("persistence.url")) : randomNodeId();
        return new DialogSettings(nodeId, c.getString("rr-param"), matchMode,
                c.getBoolean("validate"), c.getDuration("default-timeout"), c.getBoolean("reset-timeout-on-sequential"),
                c.getDuration("delete-delay"), c.getBoolean("detect-spirals"),
                c.getStringList("profiles.with-value"), c.getStringList("profiles.no-value"),
                DialogRequestSettings.from(c), c.getDuration("noack-timeout"));
    }

    public DialogSettings withMatchMode(MatchMode mode) {
        return new DialogSettings(nodeId, rrParam, mode, validate, defaultTimeout, resetTimeoutOnSequential, deleteDelay,
                detectSpirals, profilesWithValue, profilesNoValue, requests, noAckTimeout);
    }

    public DialogSettings withProfiles(List<String> withValue, List<String> noValue) {
        return new DialogSettings(nodeId, rrParam, matchMode, validate, defaultTimeout, resetTimeoutOnSequential,
                deleteDelay, detectSpirals, withValue, noValue, requests, noAckTimeout);
    }

    public DialogSettings withTimeouts(Duration timeout, boolean resetOnSequential, Duration delete) {
        return new DialogSettings(nodeId, rrParam, matchMode, validate, timeout, resetOnSequential, delete,
                detectSpirals, profilesWithValue, profilesNoValue, requests, noAckTimeout);
    }

    public DialogSettings withValidate(boolean on) {
        return new DialogSettings(nodeId, rrParam, matchMode, on, defaultTimeout, resetTimeoutOnSequential, deleteDelay,
                detectSpirals, profilesWithValue, profilesNoValue, requests, noAckTimeout);
    }

    public DialogSettings withDetectSpirals(boolean on) {
        return new DialogSettings(nodeId, rrParam, matchMode, validate, defaultTimeout, resetTimeoutOnSequential,
                deleteDelay, on, profilesWithValue, profilesNoValue, requests, noAckTimeout);
    }

    public DialogSettings withRequests(DialogRequestSettings r) {
        return new DialogSettings(nodeId, rrParam, matchMode, validate, defaultTimeout, resetTimeoutOnSequential,
                deleteDelay, detectSpirals, profilesWithValue, profilesNoValue, r, noAckTimeout);
    }

    public DialogSettings withNoAckTimeout(Duration timeout) {
        return new DialogSettings(nodeId, rrParam, matchMode, validate, defaultTimeout, resetTimeoutOnSequential,
                deleteDelay, detectSpirals, profilesWithValue, profilesNoValue, requests, timeout);
    }

    /**
     * A node id that stays the same across restarts while the store does: restored dids keep
     * matching ({@link DidCookie} finds only dids of its own node id). Derived from the store URL,
     * so nodes sharing one database must set node-id themselves.
     */
    static String storeNodeId(String url) {
        long h = 1125899906842597L;
        for (int i = 0; i < url.length(); i++) {
            h = 31 * h + url.charAt(i);
        }
        return Long.toString(h & 0xFFFF_FFFF_FFFFL, 36);
    }

    /** 48 random bits in base 36: two nodes (or two runs of one) draw the same value with odds of 2^-48. */
    static String randomNodeId() {
        long bits = new SecureRandom().nextLong() & 0xFFFF_FFFF_FFFFL;
        return Long.toString(bits, 36);
    }

    /** Letters, digits, '-' and '_': safe in a URI parameter and in the did format ({@link DidCookie}). */
    private static boolean isCookieToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '-' && ch != '_') {
                return false;
            }
        }
        return true;
    }
}
