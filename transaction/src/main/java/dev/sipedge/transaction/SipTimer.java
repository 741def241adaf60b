package dev.sipedge.transaction;

import java.time.Duration;

/**
 * The RFC 3261 §17 transaction timers (Table 4), Timer C of §16.8, and Timers L and M of RFC 6026.
 * {@link #duration} is the one place their values are computed.
 *
 * <table>
 * <caption>Durations</caption>
 * <tr><th>timer</th><th>unreliable transport</th><th>reliable transport</th></tr>
 * <tr><td>A</td><td>2^n * T1 (n-th retransmission)</td><td>not started</td></tr>
 * <tr><td>E, G</td><td>min(2^n * T1, T2)</td><td>not started</td></tr>
 * <tr><td>B, F, H, L, M</td><td>64 * T1</td><td>64 * T1</td></tr>
 * <tr><td>J</td><td>64 * T1</td><td>0</td></tr>
 * <tr><td>D</td><td>32 s (at least 32 s, §17.1.1.2)</td><td>0</td></tr>
 * <tr><td>I, K</td><td>T4</td><td>0</td></tr>
 * <tr><td>C</td><td>timer-c (&gt; 3 min, §16.8)</td><td>timer-c</td></tr>
 * </table>
 */
enum SipTimer {
    A, B, C, D, E, F, G, H, I, J, K, L, M;

    /** §17.1.1.2: Timer D is at least 32 seconds on unreliable transports. */
    static final Duration TIMER_D_UNRELIABLE = Duration.ofSeconds(32);

    /** Beyond 2^20 * T1 every realistic cap has long been reached; bounding n avoids overflow. */
    private static final int MAX_DOUBLINGS = 20;

    /**
     * The retransmission back-off: {@code min(2^n * T1, cap)}. Timer A uses it without a cap
     * (pure doubling, §17.1.1.2), Timers E and G with {@code cap = T2} (§17.1.2.2, §17.2.1).
     */
    static Duration backoff(int n, Duration t1, Duration cap) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        Duration doubled = times(t1, 1L << Math.min(n, MAX_DOUBLINGS));
        return cap != null && doubled.compareTo(cap) > 0 ? cap : doubled;
    }

    /**
     * {@code t * k}. {@link Duration#multipliedBy} goes through {@code BigDecimal}, and a timer
     * starts on nearly every transaction step (a warm profile put it at ~2 % of the event loops'
     * allocation); this is long arithmetic, with the exact method only where longs overflow.
     */
    static Duration times(Duration t, long k) {
        try {
            return Duration.ofNanos(Math.multiplyExact(t.toNanos(), k));
        } catch (ArithmeticException overflow) {
            return t.multipliedBy(k);
        }
    }

    /**
     * Whether this timer only ends a lingering state (Completed, Confirmed, Accepted): it is
     * started once per transaction, on entering a state that nothing but it, a transport error
     * or shutdown ends, always with the layer's same duration. Such timers are queued in
     * {@link LingerTimers} rather than given a timeout each.
     */
    boolean lingers() {
        return switch (this) {
            case D, I, J, K, L, M -> true;
            case A, B, C, E, F, G, H -> false;
        };
    }

    /**
     * This timer's duration. {@code n} counts the retransmissions already sent and matters only
     * for A, E and G. A zero result means "fire at once" (reliable transports).
     */
    Duration duration(TransactionSettings s, boolean reliable, int n) {
        return switch (this) {
            case A -> backoff(n, s.t1(), null);
            case E, G -> backoff(n, s.t1(), s.t2());
            case B, F, H, L, M -> s.sixtyFourT1();
            case J -> reliable ? Duration.ZERO : s.sixtyFourT1();
            case D -> reliable ? Duration.ZERO : TIMER_D_UNRELIABLE;
            case I, K -> reliable ? Duration.ZERO : s.t4();
            case C -> s.timerC();
        };
    }
}
