package dev.sipedge.proxy;

import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.proxy.routing.Router;
import dev.sipedge.proxy.routing.Routes;
import dev.sipedge.proxy.validation.BranchGenerator;
import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transaction.Transport;
import io.netty.util.Timer;
import java.util.List;
import javax.sip.address.URI;

/**
 * What every shard's {@link ProxyEngine} shares: immutable or thread-safe parts only.
 *
 * @param routes the route table in force, swapped whole by a reload
 */
public record ProxyServices(LocalInterfaces interfaces, Routes routes,
                            LooseRouter looseRouter, RecordRouter recordRouter, BranchGenerator branches,
                            TargetResolver resolver, Transport transport, Timer timer,
                            TransactionSettings transactionSettings, ProxyMetrics metrics) {

    /**
     * Services with a route table that never changes (tests, warm-up).
     *
     * @param nextHops the parsed next-hop URIs of each route, indexed like {@code router.rules()}
     */
    public ProxyServices(LocalInterfaces interfaces, Router router, List<List<URI>> nextHops,
                         LooseRouter looseRouter, RecordRouter recordRouter, BranchGenerator branches,
                         TargetResolver resolver, Transport transport, Timer timer,
                         TransactionSettings transactionSettings, ProxyMetrics metrics) {
        this(interfaces, new Routes(new RouteTable(router, nextHops)), looseRouter, recordRouter, branches, resolver,
                transport, timer, transactionSettings, metrics);
    }
}
