package dev.sipedge.transaction;

/**
 * The RFC 3261 §17.1.3 / §17.2.3 matching key. For RFC 3261 branches ({@code z9hG4bK...}) it is
 * branch + sent-by + method (ACK and CANCEL are matched by the layer, which maps ACK to INVITE).
 * For RFC 2543 requests without the magic cookie, {@code branch} holds a digest of Request-URI,
 * Call-ID, From tag, To tag, CSeq number and top Via, as §17.2.3 prescribes.
 */
public record TransactionKey(String branch, String sentBy, String method) {
}
