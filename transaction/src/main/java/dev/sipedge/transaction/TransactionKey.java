package dev.sipedge.transaction;

/**
 * The RFC 3261 §17.1.3 / §17.2.3 matching key. For RFC 3261 branches ({@code z9hG4bK...}) it is
 * branch + sent-by + method (ACK and CANCEL are matched by the layer, which maps ACK to INVITE).
 * For RFC 2543 requests without the magic cookie, {@code branch} holds a digest of Request-URI,
 * Call-ID, From tag, To tag, CSeq number and top Via, as §17.2.3 prescribes.
 *
 * <p>Comparable, in an order consistent with {@code equals}, for the layer's hash tables: the
 * branch and sent-by come from the sender, who can make thousands of keys share a hash (see
 * {@link KeyHash}), and a {@code HashMap} bin of comparable keys that grows past a few
 * entries becomes a tree searched by this order instead of a list searched one by one.
 */
public record TransactionKey(String branch, String sentBy, String method) implements Comparable<TransactionKey> {

    @Override
    public int compareTo(TransactionKey other) {
        int byBranch = branch.compareTo(other.branch);
        if (byBranch != 0) {
            return byBranch;
        }
        int bySentBy = sentBy.compareTo(other.sentBy);
        return bySentBy != 0 ? bySentBy : method.compareTo(other.method);
    }
}
