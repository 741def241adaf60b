package dev.sipedge.proxy.validation;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of {@link RequestValidator#validate}: {@link Pass} (go on) or a {@link Reject} with the
 * response the proxy must send instead of forwarding.
 */
public sealed interface Verdict permits Verdict.Pass, Verdict.Reject {

    /** The request may be processed further. */
    Pass PASS = new Pass();

    /** True when nothing is wrong. */
    default boolean ok() {
        return this instanceof Pass;
    }

    /** A rejection without {@code Unsupported} option tags. */
    static Reject reject(int status, String reason) {
        return new Reject(status, reason, List.of());
    }

    /** Nothing wrong found. */
    record Pass() implements Verdict {
    }

    /**
     * Answer {@code status} with {@code reason}. For 420, {@code unsupported} lists the option tags
     * for the {@code Unsupported} header (RFC 3261 §16.3 step 5); it is empty otherwise.
     */
    record Reject(int status, String reason, List<String> unsupported) implements Verdict {
        public Reject {
            Objects.requireNonNull(reason, "reason");
            unsupported = List.copyOf(unsupported);
            if (status < 300 || status > 699) {
                throw new IllegalArgumentException("a rejection needs a 3xx-6xx status: " + status);
            }
        }
    }
}
