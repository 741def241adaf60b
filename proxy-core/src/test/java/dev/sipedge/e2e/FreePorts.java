package dev.sipedge.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Ports on 127.0.0.1 that are free for both UDP and TCP right now, drawn at random from 20000-32767:
 * below Linux's default ephemeral range (32768-60999), so no socket bound to port 0 elsewhere (a
 * proxy's start-up warm-up, SIPp, a resolver, another test's peer) can take one between probe and
 * use, as one did when the kernel picked these too. Above the benchmark's fixed 5060/5061/5070. A
 * port is never handed out twice by one JVM, so two calls cannot return the same number.
 */
final class FreePorts {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int FIRST = 20_000;
    private static final int LAST = 32_767;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final Random RANDOM = new Random();
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    /** A port free for UDP and for TCP on 127.0.0.1. */
    static synchronized int udpAndTcp() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = FIRST + RANDOM.nextInt(LAST - FIRST + 1);
            if (!HANDED_OUT.contains(port) && udpFree(port) && tcpFree(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP after " + ATTEMPTS + " attempts");
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when nothing is bound to the UDP port on 127.0.0.1 (used to see SIPp come up). */
    static boolean udpFree(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when nothing listens on the TCP port on 127.0.0.1. */
    static boolean tcpListenerAbsent(int port) {
        return tcpFree(port);
    }
}
