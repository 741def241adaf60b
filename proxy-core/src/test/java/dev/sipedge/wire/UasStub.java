package dev.sipedge.wire;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The called side, the proxy's next hop: a UDP socket or a TCP server socket on 127.0.0.1 with an
 * ephemeral port. Reader threads (daemon, one per socket or connection) queue what arrives; the
 * test takes messages with {@link #next} and answers them with {@link Received#reply}, on the
 * connection or to the address the message came from.
 */
abstract class UasStub implements AutoCloseable {

    /** A message that reached the stub, and how to answer it. */
    record Received(RawSip message, Replier replier) {
        void reply(byte[] bytes) {
            replier.send(bytes);
        }
    }

    @FunctionalInterface
    interface Replier {
        void send(byte[] bytes);
    }

    protected final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    /**
     * When set, the reader threads answer every request but ACK themselves with 200 (an INVITE's
     * with a Contact). Not a 4xx for INVITE: over UDP the proxy's client transaction would then
     * stay in Completed for Timer D, 32 s whatever T1 is (RFC 3261 §17.1.1.2).
     */
    private volatile boolean autoAnswer;

    void autoAnswer(boolean on) {
        autoAnswer = on;
    }

    /** Everything queued so far, without waiting. */
    List<Received> drain() {
        List<Received> all = new ArrayList<>();
        queue.drainTo(all);
        return all;
    }

    /** Queues a message and, in auto-answer mode, answers it. */
    protected void arrived(RawSip message, Replier replier) {
        if (autoAnswer && !message.isResponse() && !message.method().equals("ACK")) {
            java.util.List<String> contact = message.method().equals("INVITE")
                    ? java.util.List.of("Contact: <sip:uas@127.0.0.1:" + port() + ">") : java.util.List.of();
            replier.send(Messages.response(message, 200, "OK", "uas", contact));
        }
        queue.add(new Received(message, replier));
    }

    /** The next message, or null when none arrives within {@code timeout}. */
    Received next(Duration timeout) {
        try {
            return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the UAS stub", e);
        }
    }

    abstract int port();

    @Override
    public abstract void close();

    static UasStub start(WireTransport transport) {
        return transport == WireTransport.UDP ? new Udp() : new Tcp();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static final class Udp extends UasStub {
        private final DatagramSocket socket;

        Udp() {
            try {
                socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            daemon("uas-udp-" + socket.getLocalPort(), this::readLoop);
        }

        private void readLoop() {
            byte[] buf = new byte[65535];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    return;   // closed: the stub is done
                }
                SocketAddress from = packet.getSocketAddress();
                RawSip message = RawSip.parse(Arrays.copyOf(buf, packet.getLength()));
                arrived(message, bytes -> send(bytes, from));
            }
        }

        private void send(byte[] bytes, SocketAddress to) {
            try {
                socket.send(new DatagramPacket(bytes, bytes.length, to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class Tcp extends UasStub {
        private final ServerSocket server;
        private final List<Socket> connections = new CopyOnWriteArrayList<>();

        Tcp() {
            try {
                server = new ServerSocket();
                server.bind(new InetSocketAddress("127.0.0.1", 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            daemon("uas-tcp-accept-" + server.getLocalPort(), this::acceptLoop);
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                Socket connection;
                try {
                    connection = server.accept();
                } catch (IOException e) {
                    return;   // closed: the stub is done
                }
                connections.add(connection);
                daemon("uas-tcp-" + connection.getPort(), () -> readLoop(connection));
            }
        }

        private void readLoop(Socket connection) {
            try {
                StreamFramer framer = new StreamFramer(new BufferedInputStream(connection.getInputStream()));
                OutputStream out = connection.getOutputStream();
                for (RawSip message = framer.next(); message != null; message = framer.next()) {
                    arrived(message, bytes -> write(out, bytes));
                }
            } catch (IOException e) {
                // the proxy closed or reset the connection; whatever it sent is queued already
            }
        }

        private static void write(OutputStream out, byte[] bytes) {
            try {
                synchronized (out) {
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : connections) {
                    s.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
