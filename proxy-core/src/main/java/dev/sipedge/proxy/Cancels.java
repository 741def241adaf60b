package dev.sipedge.proxy;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransactionLayer;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The CANCELs a shard sends (for a proxied branch, §16.10, or for a ping of the dialog module)
 * and the §9.1 give-up of a CANCELled INVITE branch that never answers.
 */
final class Cancels {
    private static final ClientTransaction.Listener IGNORE_RESPONSES = new ClientTransaction.Listener() {
        @Override
        public void onResponse(ClientTransaction tx, SIPResponse response) {
            // Responses to our own CANCELs end here: §16.10 says nothing goes upstream.
        }

        @Override
        public void onTerminated(ClientTransaction tx, EndReason reason) {
        }
    };

    private final TransactionLayer layer;
    private final Timer timer;
    private final Executor shard;
    private final Duration sixtyFourT1;

    Cancels(TransactionLayer layer, Timer timer, Executor shard, Duration sixtyFourT1) {
        this.layer = layer;
        this.timer = timer;
        this.shard = shard;
        this.sixtyFourT1 = sixtyFourT1;
    }

    void send(SIPRequest cancel, Flow flow) {
        layer.sendRequest(cancel, flow, IGNORE_RESPONSES);
    }

    /** §9.1: a CANCELled INVITE branch with no final response after 64*T1 is given up. */
    void abandonLater(ClientTransaction tx) {
        timer.newTimeout(t -> shard.execute(() -> {
            if (!tx.finalReceived() && !tx.isTerminated()) {
                tx.abandon();
            }
        }), sixtyFourT1.toMillis(), TimeUnit.MILLISECONDS);
    }
}
