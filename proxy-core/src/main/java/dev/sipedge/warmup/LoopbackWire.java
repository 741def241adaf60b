package dev.sipedge.warmup;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport;
import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.Arrays;

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

    /** As the UDP transport does: kept as the bytes sent, so warm-up runs the layer's store of them too. */
    @Override
    public Kept sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
        if (flow.transport().reliable()) {
            return Transport.super.sendKept(message, flow, onFailure);
        }
        byte[] bytes = LoopbackPipeline.encode(message);
        wire.add(new Sent(bytes, flow.remote()));
        return new KeptDatagram(bytes, flow.local(), flow.remote());
    }

    @Override
    public void sendEncoded(byte[] request, Flow flow, FailureListener onFailure) {
        wire.add(new Sent(request, flow.remote()));
    }

    @Override
    public void sendDatagram(byte[] bytes, int offset, int length, InetSocketAddress local, InetSocketAddress target,
            FailureListener onFailure) {
        wire.add(new Sent(Arrays.copyOfRange(bytes, offset, offset + length), target));
    }

    /** Delivers everything in flight, including what the answers cause, until the wire is quiet. */
    void drain(WarmupPeers peers) throws ParseException {
        Sent s;
        while ((s = wire.poll()) != null) {
            peers.deliver(s.bytes(), s.to());
        }
    }
}
