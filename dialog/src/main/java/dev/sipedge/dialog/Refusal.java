package dev.sipedge.dialog;

/**
 * Answer the request with {@code status} instead of relaying it: dialog validation refuses an
 * in-dialog request with 500 for a CSeq out of order (RFC 3261 §12.2.2) or 400 for a Request-URI
 * or route set other than the dialog's (§12.2.1.1 says what they must be), a full profile an
 * initial INVITE with its configured status.
 */
public record Refusal(int status, String reason) implements Creation, Sequential {
}
