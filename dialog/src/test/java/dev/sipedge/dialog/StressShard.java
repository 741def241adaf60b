package dev.sipedge.dialog;

import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.recordroute.LocalInterface;
import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transaction.Transport;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One shard as proxy-core wires it: a single-threaded executor, its own transaction layer (default
 * timers), a {@link StressProxy} as transaction user, and the shard's {@link DialogTracker}
 * registered as the layer's listener. Everything here except the constructor runs on
 * {@link #executor}.
 */
final class StressShard {
    static final LocalIdentity IDENTITY = new LocalIdentity(List.of(new LocalInterface("127.0.0.1", 5060, "udp")));

    final int index;
    final Executor executor;
    final StressProxy proxy;
    final TransactionLayer layer;
    final DialogTracker tracker;

    StressShard(int index, Executor executor, StressTimer timer, DialogModule module, Transport transport,
                Function<SIPRequest, DialogOptions> options, Supplier<Flow> downstream) {
        this(index, executor, timer, timer, module, transport, options, downstream);
    }

    /** With a timer of its own for the dialogs (the heap test puts their lifetimes on a real wheel). */
    StressShard(int index, Executor executor, StressTimer timer, Timer dialogTimer, DialogModule module,
                Transport transport, Function<SIPRequest, DialogOptions> options, Supplier<Flow> downstream) {
        this.index = index;
        this.executor = executor;
        this.proxy = new StressProxy(new LooseRouter(IDENTITY), options, downstream);
        this.layer = new TransactionLayer(TransactionSettings.DEFAULTS, timer, timer::nanos, executor, transport, proxy);
        this.tracker = module.newTracker(executor, dialogTimer, IDENTITY, timer::nanos);
        layer.addListener(tracker);
        tracker.useOwnRequests(layer::sentByUs);
        proxy.bind(layer, tracker);
    }

    /**
     * Per-transaction bookkeeping the tracker still holds: initial INVITEs, in-dialog requests and
     * INVITE branches. All three must empty as transactions end.
     */
    int trackedTransactions() {
        return tracker.transactions.initialInvites.size() + tracker.transactions.within.size()
                + tracker.transactions.inviteBranches.size();
    }
}
