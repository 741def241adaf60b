package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BranchesTest {

    private static Branch branch(int index) {
        return new Branch(null, index, null, null);
    }

    @Test
    void noBranchYet() {
        Branches branches = new Branches();
        assertEquals(0, branches.size());
        assertThrows(IndexOutOfBoundsException.class, () -> branches.get(0));
    }

    @Test
    void oneBranch() {
        Branches branches = new Branches();
        Branch only = branch(0);
        branches.add(only);
        assertEquals(1, branches.size());
        assertSame(only, branches.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> branches.get(1));
    }

    @Test
    void forkedBranchesKeepTheirStartOrder() {
        Branches branches = new Branches();
        Branch a = branch(0);
        Branch b = branch(1);
        Branch c = branch(2);
        branches.add(a);
        branches.add(b);
        branches.add(c);
        assertEquals(3, branches.size());
        assertSame(a, branches.get(0));
        assertSame(b, branches.get(1));
        assertSame(c, branches.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> branches.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> branches.get(-1));
    }
}
