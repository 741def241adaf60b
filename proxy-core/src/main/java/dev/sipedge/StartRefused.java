package dev.sipedge;

/**
 * The proxy cannot start for a reason the operator fixes outside it (an unreachable dialog
 * database, a schema newer than the code): {@link Main} prints the message as one line and exits
 * with status 2, as for a configuration error, without a stack trace.
 */
public final class StartRefused extends RuntimeException {
    public StartRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
