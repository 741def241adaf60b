package dev.sipedge.proxy;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transport.ReceivedBytes;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * What goes upstream through a server transaction of the shard: responses the proxy makes and
 * responses it relays (§16.7 step 9: our Via removed first, the dialog module's last edits), each
 * counted. Shared by the engine and the response contexts of its calls.
 */
final class UpstreamRelay {
    private final DialogHook dialogs;
    private final ProxyMetrics metrics;
    private final LocalInterfaces interfaces;

    UpstreamRelay(DialogHook dialogs, ProxyMetrics metrics, LocalInterfaces interfaces) {
        this.dialogs = dialogs;
        this.metrics = metrics;
        this.interfaces = interfaces;
    }

    /** A response made here. */
    void respond(ServerTransaction tx, SIPResponse response) {
        metrics.responseSent(response.getStatusCode());
        tx.respond(response);
    }

    /** A response received from downstream: the dialog module may still edit it. */
    void relay(ServerTransaction tx, SIPResponse response) {
        dialogs.beforeRelayUpstream(tx, response);
        respond(tx, response);
    }

    /**
     * Whether a response to {@code received} that matches no transaction, relayed by its Via as a
     * stray ({@link StatelessRelay#flowBack}), would leave exactly by {@code tx}'s flow: same
     * transport, our same listener, the same peer address. Only then may the transaction settle
     * and leave later 2xx to that path.
     */
    boolean strayPathIs(ServerTransaction tx, SIPRequest received) {
        Flow back = StatelessRelay.flowBack(received.getTopmostVia(), interfaces);
        return back != null && back.equals(tx.flow());
    }

    /**
     * Removes our Via from the top of a response that came back on a branch (§16.7 step 3). False
     * when it goes no further: the top Via is not ours (dropped and counted), or ours was the only
     * one (a response to a request we originated).
     */
    boolean popOurVia(SIPResponse response) {
        ViaList vias = response.getViaHeaders();
        if (vias == null || vias.isEmpty() || !interfaces.isOurVia((Via) vias.getFirst())) {
            metrics.dropped();
            return false;
        }
        Via ours = (Via) vias.getFirst();
        vias.removeFirst();
        ReceivedBytes.topViaRemoved(response, ours);
        return !vias.isEmpty();
    }
}
