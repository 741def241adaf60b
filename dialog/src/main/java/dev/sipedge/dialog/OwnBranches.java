package dev.sipedge.dialog;

import dev.sipedge.transaction.TransactionKey;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Branch and method of every live client transaction of one shard: a request that carries one of
 * them in a Via is one we sent that came back to us (a spiral). Our branches hold a hash and a
 * per-run tag (BranchGenerator), so they cannot be guessed, unlike a Via naming our address.
 */
final class OwnBranches {
    private final Set<TransactionKey> live = new HashSet<>();

    /** {@code key} is a client transaction's own (branch and method, no sent-by), kept as it is. */
    void add(TransactionKey key) {
        live.add(key);
    }

    void remove(TransactionKey key) {
        live.remove(key);
    }

    int size() {
        return live.size();
    }

    /** True when a Via of {@code request} carries the branch of a live client transaction for its method. */
    boolean sentByUs(SIPRequest request) {
        if (live.isEmpty() || request.getViaHeaders() == null) {
            return false;
        }
        // Client keys carry the CSeq method upper-cased (§17.1.3 matching); so does the probe.
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        for (Object v : request.getViaHeaders()) {
            String branch = ((Via) v).getBranch();
            if (branch != null && live.contains(keyOf(branch, method))) {
                return true;
            }
        }
        return false;
    }

    private static TransactionKey keyOf(String branch, String method) {
        return new TransactionKey(branch, "", method);
    }
}
