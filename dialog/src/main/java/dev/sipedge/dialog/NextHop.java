package dev.sipedge.dialog;

import dev.sipedge.transaction.Flow;
import java.util.Objects;

/**
 * Where a request toward a leg goes first: either the flow the leg was last seen on (its observed
 * address, through the same local socket, and over TCP its open connection), or a URI the proxy
 * must resolve (RFC 3263) because the first hop is somewhere else.
 */
public record NextHop(Flow flow, String uri) {
    public NextHop {
        if ((flow == null) == (uri == null)) {
            throw new IllegalArgumentException("a next hop is a flow or a URI");
        }
    }

    static NextHop of(Flow flow) {
        return new NextHop(Objects.requireNonNull(flow), null);
    }

    static NextHop of(String uri) {
        return new NextHop(null, Objects.requireNonNull(uri));
    }
}
