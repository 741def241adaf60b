package dev.sipedge.dialog;

/**
 * Why a dialog ended. The causes of ends the module brings about itself carry the RFC 3326
 * {@code Reason} its BYEs say it with.
 */
public enum EndCause {
    /** A non-2xx final response (including 487 after CANCEL) went to the caller. */
    FAILED(null),
    /** The INVITE transaction ended without any final response. */
    NOT_ANSWERED(null),
    /** The caller sent BYE. */
    CALLER_BYE(null),
    /** The callee sent BYE. */
    CALLEE_BYE(null),
    /** The lifetime ran out. */
    EXPIRED("SIP;cause=408;text=\"Dialog lifetime expired\""),
    /**
     * The 2xx was never ACKed within {@code dialog.noack-timeout} (Kamailio's {@code noack_timeout}):
     * a timeout like {@link #EXPIRED}, counted apart because it points at a caller or path that
     * loses ACKs rather than at a lost BYE.
     */
    NO_ACK("SIP;cause=408;text=\"ACK not received\""),
    /** Ended through the API (an operator, or the embedding application). */
    OPERATOR("Q.850;cause=16;text=\"Terminated by operator\""),
    /** Pings to the caller failed (timeout, 408 or 481). */
    CALLER_PING_FAILED("SIP;cause=408;text=\"Caller did not answer in-dialog ping\""),
    /** Pings to the callee failed (timeout, 408 or 481). */
    CALLEE_PING_FAILED("SIP;cause=408;text=\"Callee did not answer in-dialog ping\""),
    /** RFC 5407: a 2xx crossed a CANCEL or an early BYE, and the UAs did not clear the call in time. */
    RACE_CONDITION("SIP;cause=487;text=\"Call cleared after a race condition\"");

    private final String reason;

    EndCause(String reason) {
        this.reason = reason;
    }

    /** True for the ends a timer brought about: the lifetime or the wait for the ACK ran out. */
    public boolean timeout() {
        return this == EXPIRED || this == NO_ACK;
    }

    /** The {@code Reason} header value (RFC 3326) of the BYEs sent for this cause; null for ends the UAs made. */
    public String reasonHeader() {
        return reason;
    }
}
