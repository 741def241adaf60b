package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.bytes;
import static dev.sipedge.transport.SipFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1 with ephemeral ports; plain JDK sockets play the peers. */
@Tag("e2e")
class SipTransportTest {

    private static final long WAIT_SECONDS = 5;

    /** Every call owned by the receiving I/O thread, as when nothing hops. */
    private static final CallOwners ONE_OWNER = new CallOwners() {
        @Override
        public int indexFor(String callId) {
            return 0;
        }

        @Override
        public EventExecutor get(int index) {
            return ImmediateEventExecutor.INSTANCE;
        }

        @Override
        public int size() {
            return 1;
        }
    };

    private final BlockingQueue<Object[]> received = new LinkedBlockingQueue<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SipTransport transport;

    @BeforeEach
    void start() throws Exception {
        transport = start(Duration.ofSeconds(30));
    }

    private SipTransport start(Duration idle) throws InterruptedException {
        return SipTransport.start(settings(idle), ONE_OWNER, recording(), registry);
    }

    private static TransportSettings settings(Duration idle) {
        return new TransportSettings(
                List.of(ListenAddress.parse("udp:127.0.0.1:0"), ListenAddress.parse("tcp:127.0.0.1:0")),
                65535, idle, 2, Duration.ofSeconds(2));
    }

    private InboundHandler recording() {
        return new InboundHandler() {
            @Override
            public void onMessage(SIPMessage message, Flow flow, int owner) {
                received.add(new Object[] {message, flow});
            }

            @Override
            public void onMalformed(SIPMessage partial, Flow flow, String reason) {
                received.add(new Object[] {reason, flow, partial});
            }
        };
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private Flow listener(TransportKind kind) {
        return transport.listeningPoints().stream().filter(f -> f.transport() == kind).findFirst().orElseThrow();
    }

    private Object[] next() throws InterruptedException {
        Object[] item = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(item, "nothing received in time");
        return item;
    }

    private static String request(String method, String callId, String viaTransport, int viaPort) {
        return SipFixtures.request(method, callId, "")
                .replace("SIP/2.0/TCP 192.0.2.1:5060", "SIP/2.0/" + viaTransport + " 127.0.0.1:" + viaPort);
    }

    @Test
    void listeningPointsCarryTheEphemeralPorts() {
        assertEquals(2, transport.listeningPoints().size());
        for (Flow flow : transport.listeningPoints()) {
            assertNotEquals(0, flow.local().getPort());
            assertEquals(SipTransport.NO_REMOTE, flow.remote());
        }
    }

    @Test
    void whatArrivesBetweenBindAndOpenWaitsInTheSocketsAndIsDeliveredOnOpen() throws Exception {
        try (SipTransport bound = SipTransport.bind(settings(Duration.ofSeconds(30)), new SimpleMeterRegistry());
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             Socket stream = new Socket()) {
            Flow udp = bound.listeningPoints().stream().filter(f -> f.transport() == TransportKind.UDP)
                    .findFirst().orElseThrow();
            Flow tcp = bound.listeningPoints().stream().filter(f -> f.transport() == TransportKind.TCP)
                    .findFirst().orElseThrow();
            byte[] datagram = bytes(request("OPTIONS", "early-udp", "UDP", peer.getLocalPort()));
            peer.send(new DatagramPacket(datagram, datagram.length, udp.local()));
            // the kernel completes the handshake from the backlog; nothing accepts it before open
            stream.connect(tcp.local(), (int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            stream.getOutputStream().write(bytes(request("OPTIONS", "early-tcp", "TCP", stream.getLocalPort())));
            stream.getOutputStream().flush();
            assertEquals(null, received.peek(), "no handler before open");

            bound.open(ONE_OWNER, recording());
            List<String> callIds = List.of(
                    ((SIPMessage) next()[0]).getCallId().getCallId(), ((SIPMessage) next()[0]).getCallId().getCallId());
            assertEquals(List.of("early-tcp", "early-udp"), callIds.stream().sorted().toList());
        }
    }

    @Test
    void datagramsWaitingInTheSocketAreReadInOnePass() throws Exception {
        int waiting = 5;
        // touched only on the event loop that reads the socket
        List<String> order = new ArrayList<>();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        Consumer<String> record = step -> {
            order.add(step);
            if (order.size() == waiting + 1) {
                done.complete(List.copyOf(order));
            }
        };
        try (SipTransport bound = SipTransport.bind(settings(Duration.ofSeconds(30)), new SimpleMeterRegistry());
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Flow udp = bound.listeningPoints().stream().filter(f -> f.transport() == TransportKind.UDP)
                    .findFirst().orElseThrow();
            for (int i = 0; i < waiting; i++) {
                byte[] datagram = bytes(request("OPTIONS", "burst-" + i, "UDP", peer.getLocalPort()));
                peer.send(new DatagramPacket(datagram, datagram.length, udp.local()));
            }
            bound.open(ONE_OWNER, new InboundHandler() {
                @Override
                public void onMessage(SIPMessage message, Flow flow, int owner) {
                    record.accept(message.getCallId().getCallId());
                    if (order.size() == 1) {
                        // runs when the loop turns to its tasks: after the pass that read the first datagram
                        EventExecutor loop = bound.eventLoops().stream().filter(EventExecutor::inEventLoop)
                                .findFirst().orElseThrow();
                        loop.execute(() -> record.accept("tasks"));
                    }
                }

                @Override
                public void onMalformed(SIPMessage partial, Flow flow, String reason) {
                    done.completeExceptionally(new AssertionError("malformed: " + reason));
                }
            });
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                expected.add("burst-" + i);
            }
            expected.add("tasks");
            assertEquals(expected, done.get(WAIT_SECONDS, TimeUnit.SECONDS),
                    "all waiting datagrams handled before the loop's tasks");
        }
    }

    @Test
    void theUdpReceiveBufferTheKernelGrantedIsExported() throws Exception {
        InetSocketAddress udp = listener(TransportKind.UDP).local();
        int expected;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // the same request on a plain socket: the kernel grants it the same (capped by net.core.rmem_max)
            probe.setReceiveBufferSize(SipTransport.SOCKET_BUFFER_BYTES);
            expected = probe.getReceiveBufferSize();
        }
        assertEquals(expected, transport.udpReceiveBuffers().get(udp));
        assertEquals(expected, registry.get(SipTransport.UDP_RECEIVE_BUFFER_METER)
                .tag("listen", "127.0.0.1:" + udp.getPort()).gauge().value());
        assertEquals(1, transport.udpReceiveBuffers().size(), "TCP listeners have no entry");
    }

    @Test
    void udpReceiveAndRespondToRport() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] out = bytes(request("OPTIONS", "u1", "UDP", 9));   // Via port is wrong on purpose: rport wins
            peer.send(new DatagramPacket(out, out.length, listener(TransportKind.UDP).local()));
            Object[] got = next();
            SIPRequest request = assertInstanceOf(SIPRequest.class, got[0]);
            Flow flow = (Flow) got[1];
            assertEquals(peer.getLocalPort(), flow.remote().getPort());
            assertEquals(Integer.toString(peer.getLocalPort()), request.getTopmostVia().getParameter("rport"));

            transport.send(request.createResponse(200), flow, null);
            DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
            peer.receive(in);
            String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("SIP/2.0 200 OK"), text);
            assertEquals(listener(TransportKind.UDP).local().getPort(), in.getPort(), "sent from the listener");
        }
    }

    /**
     * A kept response is its bytes and where they went: sent once when kept, resent unchanged
     * after the message object changed.
     */
    @Test
    void aKeptUdpResponseIsResentAsFirstSentToTheSameAddress() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] out = bytes(request("BYE", "k1", "UDP", 9));
            peer.send(new DatagramPacket(out, out.length, listener(TransportKind.UDP).local()));
            Object[] got = next();
            SIPRequest request = (SIPRequest) got[0];
            Flow flow = (Flow) got[1];
            SIPResponse ok = request.createResponse(200);

            Transport.Kept kept = transport.sendKept(ok, flow, null);
            assertTrue(kept instanceof Transport.KeptDatagram, "kept as bytes on UDP: " + kept);
            ok.setStatusCode(500);   // the object may go on changing or be collected: what went out is kept
            transport.resend(kept, null);
            Transport.KeptDatagram datagram = (Transport.KeptDatagram) kept;
            // As the layer's store resends it: from a larger array, at an offset.
            byte[] stored = new byte[datagram.bytes().length + 10];
            System.arraycopy(datagram.bytes(), 0, stored, 7, datagram.bytes().length);
            transport.sendDatagram(stored, 7, datagram.bytes().length, datagram.local(), datagram.target(), null);
            // A marker sent last from the same socket: the fourth datagram, or the kept one went out twice.
            transport.send(request.createResponse(202), flow, null);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
                peer.receive(in);
                received.add(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8));
                assertEquals(listener(TransportKind.UDP).local().getPort(), in.getPort(), "sent from the listener");
            }
            assertTrue(received.get(0).startsWith("SIP/2.0 200 OK"), received.get(0));
            assertEquals(List.of(received.get(0), received.get(0), received.get(0)), received.subList(0, 3));
            assertTrue(received.get(3).startsWith("SIP/2.0 202 "), received.get(3));
        }
    }

    @Test
    void udpSendsLargeDatagramsWhole() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            String body = "b".repeat(30000);
            byte[] out = bytes(SipFixtures.request("MESSAGE", "u2", body).replace("SIP/2.0/TCP", "SIP/2.0/UDP"));
            peer.send(new DatagramPacket(out, out.length, listener(TransportKind.UDP).local()));
            SIPRequest request = (SIPRequest) next()[0];
            assertEquals(30000, request.getRawContent().length);

            Flow toPeer = listener(TransportKind.UDP).withRemote((InetSocketAddress) peer.getLocalSocketAddress());
            transport.send(request, toPeer, null);
            DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
            peer.receive(in);
            assertTrue(in.getLength() > 30000);
        }
    }

    @Test
    void tcpResponseGoesBackOnTheInboundConnectionAndRequestsReuseIt() throws Exception {
        try (Socket peer = new Socket()) {
            peer.connect(listener(TransportKind.TCP).local());
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            peer.getOutputStream().write(bytes(request("INVITE", "t1", "TCP", 9)));   // Via port nobody listens on
            Object[] got = next();
            SIPRequest request = (SIPRequest) got[0];
            Flow flow = (Flow) got[1];
            assertEquals(peer.getLocalPort(), flow.remote().getPort());
            assertEquals(1, transport.tcpConnectionCount());

            transport.send(request.createResponse(180), flow, null);
            assertTrue(readMessage(peer.getInputStream()).startsWith("SIP/2.0 180 Ringing"));

            // a request back to that peer (RFC 3261 §18) uses the same connection, not a new one
            SIPRequest bye = (SIPRequest) message(new SipMessageParser().parse(bytes(request("BYE", "t1", "TCP", 1))));
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            transport.send(bye, flow, failure::complete);
            assertTrue(readMessage(peer.getInputStream()).startsWith("BYE "));
            assertEquals(1, transport.tcpConnectionCount());
            assertTrue(!failure.isDone());
        }
    }

    @Test
    void tcpOutboundConnectionIsReusedAndCarriesReplies() throws Exception {
        try (ServerSocket peerServer = new ServerSocket(0, 5,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            peerServer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            Flow toPeer = listener(TransportKind.TCP).withRemote((InetSocketAddress) peerServer.getLocalSocketAddress());
            SipMessageParser parser = new SipMessageParser();
            transport.send((SIPRequest) message(parser.parse(bytes(request("OPTIONS", "o1", "TCP", 1)))), toPeer, null);
            transport.send((SIPRequest) message(parser.parse(bytes(request("OPTIONS", "o2", "TCP", 1)))), toPeer, null);
            try (Socket accepted = peerServer.accept()) {
                accepted.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                InputStream in = accepted.getInputStream();
                assertTrue(readMessage(in).contains("Call-ID: o1"));
                assertTrue(readMessage(in).contains("Call-ID: o2"), "second message, same connection, in order");
                accepted.getOutputStream().write(bytes(SipFixtures.request("OPTIONS", "o3", "")
                        .replace("OPTIONS sip", "OPTIONS sip")));
                Object[] got = next();
                assertEquals("o3", ((SIPRequest) got[0]).getCallId().getCallId());
                assertEquals(1, transport.tcpConnectionCount());
            }
        }
    }

    @Test
    void tcpConnectFailureIsReported() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        SIPRequest request =
                (SIPRequest) message(new SipMessageParser().parse(bytes(request("OPTIONS", "f1", "TCP", 1))));
        transport.send(request, listener(TransportKind.TCP).withRemote(new InetSocketAddress("127.0.0.1", closedPort)),
                failure::complete);
        assertInstanceOf(IOException.class, failure.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void unresolvedDestinationFailsFast() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        SIPRequest request =
                (SIPRequest) message(new SipMessageParser().parse(bytes(request("OPTIONS", "f2", "UDP", 1))));
        transport.send(request, listener(TransportKind.UDP).withRemote(
                InetSocketAddress.createUnresolved("peer.example.com", 5060)), failure::complete);
        assertTrue(failure.isDone(), "reported synchronously, nothing was looked up");
    }

    @Test
    void idleTcpConnectionIsClosed() throws Exception {
        transport.close();
        transport = start(Duration.ofMillis(300));
        try (Socket peer = new Socket()) {
            peer.connect(listener(TransportKind.TCP).local());
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            peer.getOutputStream().write(bytes("\r\n\r\n"));
            assertEquals('\r', peer.getInputStream().read());
            assertEquals('\n', peer.getInputStream().read());
            assertEquals(-1, peer.getInputStream().read(), "closed by the server once idle");
        }
        for (int i = 0; i < 50 && transport.tcpConnectionCount() > 0; i++) {
            TimeUnit.MILLISECONDS.sleep(20);   // the table entry leaves on the event loop right after the close
        }
        assertEquals(0, transport.tcpConnectionCount());
    }

    @Test
    void malformedDatagramIsCountedAndReported() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] out = bytes(request("OPTIONS", "m1", "UDP", 9).replace("CSeq: 1 OPTIONS", "CSeq: x"));
            peer.send(new DatagramPacket(out, out.length, listener(TransportKind.UDP).local()));
            Object[] got = next();
            assertTrue(((String) got[0]).contains("CSeq"), (String) got[0]);
            assertEquals(1.0, registry.get(SipTransport.PARSE_ERRORS_METER).counter().count());
        }
    }

    /** Reads one message (headers up to the blank line; these tests send no bodies) from a blocking stream. */
    private static String readMessage(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + text);
            }
            text.append((char) b);
            if (text.length() > 65535) {
                throw new IOException("no end of message");
            }
        }
        return text.toString();
    }
}
