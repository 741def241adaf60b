package dev.sipedge.transaction;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code sipedge.transaction} section: RFC 3261 T1, T2, T4 and the proxy's Timer C.
 * The only class of this module that reads {@link Config}.
 */
public record TransactionSettings(Duration t1, Duration t2, Duration t4, Duration timerC) {

    public static final TransactionSettings DEFAULTS = new TransactionSettings(
            Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(180));

    public TransactionSettings {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        Objects.requireNonNull(timerC, "timerC");
        // messages start with the key path: proxy-core's configuration check reports them at that key
        if (t1.isNegative() || t1.isZero()) {
            throw new IllegalArgumentException("sipedge.transaction.t1: must be positive, got " + t1.toMillis() + "ms");
        }
        if (t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("sipedge.transaction.t2: must be at least t1 (" + t1.toMillis() + "ms), got " + t2.toMillis() + "ms");
        }
        if (t4.isNegative()) {
            throw new IllegalArgumentException("sipedge.transaction.t4: must not be negative, got " + t4.toMillis() + "ms");
        }
        // RFC 3261 §16.8: Timer C MUST be larger than 3 minutes; tests may shorten it, but never below B.
        if (timerC.compareTo(t1.multipliedBy(64)) < 0) {
            throw new IllegalArgumentException("sipedge.transaction.timer-c: must be at least 64*T1 ("
                    + t1.multipliedBy(64).toMillis() + "ms), got " + timerC.toMillis() + "ms");
        }
    }

    /** Reads {@code sipedge.transaction} from a resolved config that includes reference.conf. */
    public static TransactionSettings from(Config root) {
        Config c = root.getConfig("sipedge.transaction");
        return new TransactionSettings(c.getDuration("t1"), c.getDuration("t2"), c.getDuration("t4"),
                c.getDuration("timer-c"));
    }

    /** 64*T1: Timers B, F, H, J (unreliable), L and M. */
    public Duration sixtyFourT1() {
        return SipTimer.times(t1, 64);
    }
}
