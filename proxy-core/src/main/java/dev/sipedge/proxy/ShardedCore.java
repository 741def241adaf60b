package dev.sipedge.proxy;

import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogTracker;
import dev.sipedge.transaction.TransactionLayer;

/**
 * One transaction layer per shard, each with its proxy engine and dialog tracker on that shard:
 * how the proxy's core is put together, in one place for the proxy and for its warm-up over
 * sockets, so that the warm-up runs exactly the classes real traffic meets.
 */
public record ShardedCore(TransactionLayer[] layers, DialogTracker[] trackers) {

    public static ShardedCore wire(Shards shards, ProxyServices services, DialogModule dialogs, DrainGate gate) {
        TransactionLayer[] layers = new TransactionLayer[shards.size()];
        DialogTracker[] trackers = new DialogTracker[shards.size()];
        for (int i = 0; i < layers.length; i++) {
            DialogTracker tracker = dialogs.newTracker(shards.get(i), services.timer(),
                    services.interfaces().identity(), System::nanoTime);
            trackers[i] = tracker;
            ProxyEngine engine = new ProxyEngine(services, shards.get(i), new TrackedDialogs(tracker), gate);
            layers[i] = new TransactionLayer(services.transactionSettings(), services.timer(), System::nanoTime,
                    shards.get(i), services.transport(), engine);
            engine.bind(layers[i]);
        }
        return new ShardedCore(layers, trackers);
    }
}
