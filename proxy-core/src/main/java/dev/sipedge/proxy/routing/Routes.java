package dev.sipedge.proxy.routing;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where every shard finds the {@link RouteTable} in force. The engine reads {@link #current()}
 * once per initial request and uses that table for the whole decision; a reload
 * {@link #replace replaces} the table for the requests that come after. Transactions and
 * dialogs already started keep what they took from the old table (a dialog keeps its
 * {@code DialogOptions}; in-dialog requests follow the route set, never the routes).
 */
public final class Routes {
    private final AtomicReference<RouteTable> current;

    public Routes(RouteTable initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public RouteTable current() {
        return current.get();
    }

    /** Installs {@code next} for new requests; returns the table it replaced. */
    public RouteTable replace(RouteTable next) {
        return current.getAndSet(Objects.requireNonNull(next, "next"));
    }
}
