package dev.sipedge.proxy;

import dev.sipedge.proxy.routing.Router;
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
 * @param nextHops the parsed next-hop URIs of each route, indexed like {@code router.rules()}
 */
public record ProxyServices(LocalInterfaces interfaces, Router router, List<List<URI>> nextHops,
                            LooseRouter looseRouter, RecordRouter recordRouter, BranchGenerator branches,
                            TargetResolver resolver, Transport transport, Timer timer,
                            TransactionSettings transactionSettings, ProxyMetrics metrics) {
}
