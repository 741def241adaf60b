package dev.sipedge.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * The branches of one response context, in the order they started. Nearly every request has one
 * branch, and its context lingers 64*T1 with the INVITE's transactions (about 20,000 of them at
 * 1,000 calls/s): the first branch is a field, and a list is made only when a second one starts
 * (forking), instead of a list and its array in every context.
 */
final class Branches {
    private Branch first;
    private List<Branch> more;

    void add(Branch branch) {
        if (first == null) {
            first = branch;
            return;
        }
        if (more == null) {
            more = new ArrayList<>(2);
        }
        more.add(branch);
    }

    int size() {
        return first == null ? 0 : more == null ? 1 : 1 + more.size();
    }

    /** The {@code i}-th branch started, from 0. */
    Branch get(int i) {
        if (i == 0 && first != null) {
            return first;
        }
        if (more == null || i < 0) {
            throw new IndexOutOfBoundsException("branch " + i + " of " + size());
        }
        return more.get(i - 1);
    }
}
