package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Transport} that records what is sent and can fail on demand, either synchronously
 * ({@link #failSends}) or later ({@link #failLast}). Shipped in the test-jar.
 */
public final class RecordingTransport implements Transport {

    /** One call to {@link #send}. */
    public record Sent(SIPMessage message, Flow flow, FailureListener onFailure) {
        public boolean isRequest(String method) {
            return message instanceof SIPRequest r && r.getMethod().equals(method);
        }

        public int status() {
            return message instanceof SIPResponse r ? r.getStatusCode() : -1;
        }
    }

    /** One call to {@link #sendDatagram}: the bytes sent again and where to. */
    public record Resent(String text, InetSocketAddress local, InetSocketAddress target) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<SIPMessage> kept = new ArrayList<>();
    private final List<Resent> datagrams = new ArrayList<>();
    private final List<String> encoded = new ArrayList<>();
    private final boolean keepsBytes;
    private boolean failSends;

    /** Keeps messages as themselves, as a reliable transport does. */
    public RecordingTransport() {
        this(false);
    }

    /** {@code keepsBytes}: keeps every final as a UDP transport does, as the datagram sent. */
    public RecordingTransport(boolean keepsBytes) {
        this.keepsBytes = keepsBytes;
    }

    /** Records the send and what a transaction keeps; a resend of a kept message is recorded as a send. */
    @Override
    public Kept sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
        send(message, flow, onFailure);
        kept.add(message);
        return keepsBytes
                ? new KeptDatagram(message.encode().getBytes(StandardCharsets.UTF_8), flow.local(), flow.remote())
                : new KeptMessage(message, flow);
    }

    /** Records the text as written, then sends it parsed (this default of {@link Transport}), so it counts as a send. */
    @Override
    public void sendEncoded(byte[] request, Flow flow, FailureListener onFailure) {
        encoded.add(new String(request, StandardCharsets.UTF_8));
        Transport.super.sendEncoded(request, flow, onFailure);
    }

    /** The requests written as text ({@link #sendEncoded}), in order. */
    public List<String> encoded() {
        return encoded;
    }

    @Override
    public void sendDatagram(byte[] bytes, int offset, int length, InetSocketAddress local, InetSocketAddress target,
            FailureListener onFailure) {
        datagrams.add(new Resent(new String(bytes, offset, length, StandardCharsets.UTF_8), local, target));
    }

    /** The kept datagrams sent again, in order. */
    public List<Resent> datagrams() {
        return datagrams;
    }

    /** The messages transactions asked to keep, in order. */
    public List<SIPMessage> kept() {
        return kept;
    }

    @Override
    public void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        sent.add(new Sent(message, flow, onFailure));
        if (failSends && onFailure != null) {
            onFailure.sendFailed(new IOException("connection refused (test)"));
        }
    }

    /** From now on every send fails synchronously, as a refused TCP connect might. */
    public void failSends(boolean fail) {
        this.failSends = fail;
    }

    /** Reports a failure of the last send, as a transport thread would later. */
    public void failLast() {
        Sent last = sent.get(sent.size() - 1);
        last.onFailure().sendFailed(new IOException("connection reset (test)"));
    }

    public List<Sent> sent() {
        return sent;
    }

    public Sent last() {
        return sent.get(sent.size() - 1);
    }

    /** How many sent messages are requests of {@code method}. */
    public long count(String method) {
        return sent.stream().filter(s -> s.isRequest(method)).count();
    }

    /** How many sent messages are responses with {@code status}. */
    public long countStatus(int status) {
        return sent.stream().filter(s -> s.status() == status).count();
    }

    public void clear() {
        sent.clear();
    }
}
