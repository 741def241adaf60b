package dev.sipedge.wire;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The calling side: sends raw bytes to the proxy over UDP (one datagram per send) or TCP (one
 * connection, bytes as given) and reads back whole SIP messages, waiting at most a given time.
 */
abstract class UacStub implements AutoCloseable {

    /** Sends {@code bytes} unchanged. */
    abstract void send(byte[] bytes);

    /** The next message from the proxy, or null when none arrives within {@code timeout}. */
    abstract RawSip receive(Duration timeout);

    /** The local address the stub sends from (the address the proxy sees). */
    abstract InetSocketAddress local();

    /**
     * TCP: stops sending (half-close) so the proxy sees the end of the stream. UDP: nothing.
     */
    abstract void shutdownOutput();

    /** TCP: true when the proxy closed the connection within {@code timeout} (end of stream read). */
    abstract boolean closedByPeer(Duration timeout);

    @Override
    public abstract void close();

    static UacStub open(WireTransport transport, InetSocketAddress proxy) {
        return transport == WireTransport.UDP
                ? new Udp(proxy, new InetSocketAddress("127.0.0.1", 0)) : new Tcp(proxy);
    }

    /** A UDP stub bound to {@code local} (an RFC 4475 message with no rport is answered to its Via port). */
    static UacStub udpBoundTo(InetSocketAddress proxy, InetSocketAddress local) {
        return new Udp(proxy, local);
    }

    private static final class Udp extends UacStub {
        private final DatagramSocket socket;
        private final InetSocketAddress proxy;

        Udp(InetSocketAddress proxy, InetSocketAddress local) {
            this.proxy = proxy;
            try {
                socket = new DatagramSocket(null);
                socket.setReuseAddress(true);
                socket.bind(local);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind UAC stub to " + local, e);
            }
        }

        @Override
        void send(byte[] bytes) {
            try {
                socket.send(new DatagramPacket(bytes, bytes.length, proxy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        RawSip receive(Duration timeout) {
            byte[] buf = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return RawSip.parse(Arrays.copyOf(buf, packet.getLength()));
        }

        @Override
        InetSocketAddress local() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        void shutdownOutput() {
        }

        @Override
        boolean closedByPeer(Duration timeout) {
            return false;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class Tcp extends UacStub {
        private final Socket socket;
        private final StreamFramer framer;
        private boolean endOfStream;

        Tcp(InetSocketAddress proxy) {
            try {
                socket = new Socket();
                socket.connect(proxy, 2000);
                socket.setTcpNoDelay(true);
                framer = new StreamFramer(new BufferedInputStream(socket.getInputStream()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot connect to " + proxy, e);
            }
        }

        @Override
        void send(byte[] bytes) {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        RawSip receive(Duration timeout) {
            if (endOfStream) {
                return null;
            }
            try {
                socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
                RawSip message = framer.next();
                if (message == null) {
                    endOfStream = true;
                }
                return message;
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                // a reset after the proxy closed counts as the end of the stream
                endOfStream = true;
                return null;
            }
        }

        @Override
        InetSocketAddress local() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        void shutdownOutput() {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        boolean closedByPeer(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!endOfStream) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                RawSip extra = receive(Duration.ofNanos(left));
                if (extra != null) {
                    throw new AssertionError("expected the connection to close, got:\n" + extra);
                }
            }
            return true;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a test socket: nothing left to do with it
                throw new UncheckedIOException(e);
            }
        }
    }
}
