package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport.FailureListener;
import dev.sipedge.transaction.Transport.KeptDatagram;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sending over the UDP listeners: which listener channel a datagram leaves from, where a message
 * goes, and the kept form of a message a transaction may resend. The listener map is the
 * transport's, filled while it binds and only read from then on.
 */
final class UdpSends {
    private final Map<InetSocketAddress, List<Channel>> channels;

    UdpSends(Map<InetSocketAddress, List<Channel>> channels) {
        this.channels = channels;
    }

    void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        InetSocketAddress target = target(message, flow);
        if (target == null || target.isUnresolved()) {
            SendFailures.report(onFailure, SendFailures.unresolved(target), null);
            return;
        }
        Channel channel = channel(flow.local(), target);
        if (channel == null) {
            SendFailures.report(onFailure, new IllegalStateException("no UDP listener"), null);
            return;
        }
        write(channel, SipEncoder.encode(message, channel.alloc()), target, onFailure);
    }

    /**
     * Sends {@code message} as {@link #send} does and returns the bytes it went out as and where
     * to, to be sent again: one encoding for both. Empty when it has no usable destination or no
     * listener to leave from (the failure reported as by send; the caller keeps the message,
     * whose resend fails as a send would).
     */
    Optional<KeptDatagram> sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
        InetSocketAddress target = target(message, flow);
        if (target == null || target.isUnresolved()) {
            SendFailures.report(onFailure, SendFailures.unresolved(target), null);
            return Optional.empty();
        }
        InetSocketAddress local = flow.local();
        Channel channel = channel(local, target);
        if (channel == null) {
            SendFailures.report(onFailure, new IllegalStateException("no UDP listener"), null);
            return Optional.empty();
        }
        ByteBuf encoded = SipEncoder.encode(message, channel.alloc());
        byte[] bytes = ByteBufUtil.getBytes(encoded);
        write(channel, encoded, target, onFailure);
        // A response usually goes back where its request came from: keep the flow's shared address
        // (PeerFlows) rather than the copy built from the Via, as it is kept until Timer J.
        InetSocketAddress to = target.equals(flow.remote()) ? flow.remote() : target;
        return Optional.of(new KeptDatagram(bytes, local, to));
    }

    /** Sends bytes already encoded (a kept datagram) from the listener bound to {@code local}. */
    void sendBytes(byte[] bytes, int offset, int length, InetSocketAddress local, InetSocketAddress target,
                   FailureListener onFailure) {
        Channel channel = channel(local, target);
        if (channel == null) {
            SendFailures.report(onFailure, new IllegalStateException("no UDP listener"), null);
            return;
        }
        write(channel, channel.alloc().directBuffer(length).writeBytes(bytes, offset, length), target, onFailure);
    }

    /** Where a message along a UDP flow goes: a response by its top Via (§18.2.2), a request to the flow's peer. */
    private static InetSocketAddress target(SIPMessage message, Flow flow) {
        return message instanceof SIPResponse response ? ResponseAddress.of(response, TransportKind.UDP) : flow.remote();
    }

    private static void write(Channel channel, ByteBuf buf, InetSocketAddress target, FailureListener onFailure) {
        channel.writeAndFlush(new DatagramPacket(buf, target)).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                SendFailures.report(onFailure, written.cause(), written.channel());
            }
        });
    }

    /**
     * The UDP channel for {@code local}. Among SO_REUSEPORT copies: the one of the calling event
     * loop, so the write needs no hand-off (a call's messages are all sent from its one shard, so
     * their order holds); from any other thread, one per destination, to keep order.
     */
    private Channel channel(InetSocketAddress local, InetSocketAddress target) {
        List<Channel> candidates = local == null ? null : channels.get(local);
        if (candidates == null) {
            if (channels.isEmpty()) {
                return null;
            }
            candidates = channels.values().iterator().next();
        }
        for (int i = 0; i < candidates.size(); i++) {
            Channel channel = candidates.get(i);
            if (channel.eventLoop().inEventLoop()) {
                return channel;
            }
        }
        return candidates.get(Math.floorMod(target.hashCode(), candidates.size()));
    }
}
