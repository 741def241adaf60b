package dev.sipedge.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports on 127.0.0.1 that are free for both UDP and TCP right now. The kernel picks them from
 * the ephemeral range, so they never collide with the benchmark's fixed 5060/5061/5070. A port is
 * never handed out twice by one JVM, so two calls cannot return the same number between probe
 * and use.
 */
final class FreePorts {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /** A port free for UDP and for TCP on 127.0.0.1. */
    static synchronized int udpAndTcp() {
        for (int i = 0; i < ATTEMPTS; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                int port = udp.getLocalPort();
                if (HANDED_OUT.contains(port) || !tcpFree(port)) {
                    continue;
                }
                HANDED_OUT.add(port);
                return port;
            } catch (IOException e) {
                // could not bind an ephemeral UDP port at all: try again, bounded by ATTEMPTS
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
