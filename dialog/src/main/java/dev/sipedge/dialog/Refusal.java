package dev.sipedge.dialog;

/**
 * Answer the request with {@code status} instead of relaying it: dialog validation refuses an
 * in-dialog request with 400 or 500 (RFC 3261 §12.2.2), a full profile an initial INVITE with
 * its configured status.
 */
public record Refusal(int status, String reason) implements Creation, Sequential {
}
