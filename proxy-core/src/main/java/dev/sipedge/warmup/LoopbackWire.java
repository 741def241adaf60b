package dev.sipedge.warmup;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport;
import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.ArrayDeque;

/**
 * The in-memory warm-up's network: what the proxy sends is encoded and queued ({@link Transport});
 * {@link #drain} hands each message to the peer it was sent to, whose answers reach the proxy
 * through the real inbound pipeline.
 */
final class LoopbackWire implements Transport {
    private record Sent(byte[] bytes, InetSocketAddress to) {
    }

    private final ArrayDeque<Sent> wire = new ArrayDeque<>();

    @Override
    public void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        wire.add(new Sent(LoopbackPipeline.encode(message), flow.remote()));
    }

    /** Delivers everything in flight, including what the answers cause, until the wire is quiet. */
    void drain(WarmupPeers peers) throws ParseException {
        Sent s;
        while ((s = wire.poll()) != null) {
            peers.deliver(s.bytes(), s.to());
        }
    }
}
