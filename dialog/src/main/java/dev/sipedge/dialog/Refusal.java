package dev.sipedge.dialog;

/**
 * Answer the request with {@code status} instead of relaying it: a full profile refuses an initial
 * INVITE, dialog validation an in-dialog request (RFC 3261 §12.2.2: 400, 481, 500).
 */
public record Refusal(int status, String reason) implements Creation, Sequential {
}
