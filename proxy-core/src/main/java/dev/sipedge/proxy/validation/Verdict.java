package dev.sipedge.proxy.validation;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of {@link RequestValidator#validate}: either {@link #OK} (status 0, go on) or the
 * status and reason phrase of the response the proxy must send instead of forwarding. For 420
 * {@code unsupported} lists the option tags for the {@code Unsupported} header (RFC 3261 §16.3
 * step 5); it is empty otherwise.
 */
public record Verdict(int status, String reason, List<String> unsupported) {

    /** The request may be processed further. */
    public static final Verdict OK = new Verdict(0, "OK", List.of());

    public Verdict {
        Objects.requireNonNull(reason, "reason");
        unsupported = List.copyOf(unsupported);
        if (status != 0 && (status < 300 || status > 699)) {
            throw new IllegalArgumentException("a rejection needs a 3xx-6xx status: " + status);
        }
    }

    /** A rejection without {@code Unsupported} option tags. */
    public static Verdict reject(int status, String reason) {
        return new Verdict(status, reason, List.of());
    }

    /** True when nothing is wrong. */
    public boolean ok() {
        return status == 0;
    }
}
