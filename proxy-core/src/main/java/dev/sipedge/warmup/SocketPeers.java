package dev.sipedge.warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.text.ParseException;

/**
 * The warm-up's UAC and UAS on two real UDP sockets on loopback, driven from the calling thread:
 * up to a window of calls in flight, each answered as it arrives. A datagram lost on the way
 * only leaves its call unfinished; the run ends when every call has completed, when every call
 * is started and the sockets have been quiet for {@link #QUIET_NANOS}, or at the deadline.
 *
 * <p>The quiet spell is a second, not less: in a fresh JVM the throwaway proxy's first answer
 * loads and links classes on the way (the dressed calls' headers, the records' encoder), and a
 * run of a few calls, all started at once, once ended after 200 ms with none of them answered.
 */
final class SocketPeers implements AutoCloseable {
    private static final int WINDOW = 64;
    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel uac;
    private final DatagramChannel uas;
    private final InetSocketAddress uacAddress;
    private final InetSocketAddress uasAddress;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(65_535);
    private final WarmupPeers peers;
    private int started;

    SocketPeers(InetSocketAddress proxy) throws IOException {
        selector = Selector.open();
        uac = open();
        uas = open();
        uacAddress = (InetSocketAddress) uac.getLocalAddress();
        uasAddress = (InetSocketAddress) uas.getLocalAddress();
        peers = new WarmupPeers(uacAddress, uasAddress,
                (datagram, from) -> send(from.equals(uacAddress) ? uac : uas, datagram, proxy));
    }

    private DatagramChannel open() throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        return channel;
    }

    /** Where the proxy under warm-up sends initial requests. */
    InetSocketAddress uas() {
        return uasAddress;
    }

    /** Runs up to {@code calls} calls, stopping at the deadline. */
    void run(int calls, long deadlineNanos) throws IOException, ParseException {
        long lastHeard = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (now >= deadlineNanos || peers.completed() >= calls
                    || (started == calls && now - lastHeard > QUIET_NANOS)) {
                return;
            }
            while (started < calls && started - peers.completed() < WINDOW) {
                peers.startCall(started++);
            }
            if (selector.select(10) > 0 && receiveAll()) {
                lastHeard = System.nanoTime();
            }
            selector.selectedKeys().clear();
        }
    }

    int started() {
        return started;
    }

    /** Calls whose BYE was answered 200 at the UAC. */
    int completed() {
        return peers.completed();
    }

    private boolean receiveAll() throws IOException, ParseException {
        boolean any = false;
        for (SelectionKey key : selector.selectedKeys()) {
            DatagramChannel channel = (DatagramChannel) key.channel();
            InetSocketAddress at = channel == uac ? uacAddress : uasAddress;
            while (channel.receive(in.clear()) != null) {
                any = true;
                byte[] datagram = new byte[in.flip().remaining()];
                in.get(datagram);
                peers.deliver(datagram, at);
            }
        }
        return any;
    }

    /** A datagram the kernel does not take leaves its call unfinished, which {@link #completed} shows. */
    private void send(DatagramChannel channel, byte[] datagram, InetSocketAddress proxy) {
        try {
            channel.send(ByteBuffer.wrap(datagram), proxy);
        } catch (IOException e) {
            // as a lost datagram: the call stays unfinished
        }
    }

    @Override
    public void close() throws IOException {
        try (selector; uac; uas) {
            // closes all three, the first failure reported
        }
    }
}
