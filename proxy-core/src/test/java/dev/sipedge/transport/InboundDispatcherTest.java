package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.bytes;
import static dev.sipedge.transport.SipFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one hand-off of a message: the owner is asked once, with the Call-ID of the raw bytes, and
 * the parse, the received/rport stamp and the delivery all happen on the owner's executor.
 */
class InboundDispatcherTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.2", 40000);
    private static final InetSocketAddress RECIPIENT = new InetSocketAddress("127.0.0.1", 5060);

    private final QueuedExecutor[] executors = {new QueuedExecutor(), new QueuedExecutor()};
    private final List<String> asked = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final List<Flow> flows = new ArrayList<>();
    private final Counter parseErrors = new SimpleMeterRegistry().counter("errors");
    private final CallOwners owners = new CallOwners() {
        @Override
        public int indexFor(String callId) {
            asked.add(callId);
            return callId != null && callId.endsWith("-1") ? 1 : 0;
        }

        @Override
        public EventExecutor get(int index) {
            return executors[index];
        }

        @Override
        public int size() {
            return executors.length;
        }
    };
    private final InboundHandler handler = new InboundHandler() {
        @Override
        public void onMessage(SIPMessage message, Flow flow, int owner) {
            assertTrue(executors[owner].inEventLoop(), "delivered on the owner's executor");
            SIPRequest request = (SIPRequest) message;
            flows.add(flow);
            delivered.add(owner + " " + request.getMethod() + " " + flow.transport() + " " + flow.remote()
                    + " received=" + request.getTopmostVia().getReceived());
        }

        @Override
        public void onMalformed(SIPMessage partial, Flow flow, String reason) {
            delivered.add("malformed on " + (executors[0].inEventLoop() ? 0 : executors[1].inEventLoop() ? 1 : -1)
                    + ": " + reason);
        }
    };

    private EmbeddedChannel datagrams() {
        return new EmbeddedChannel(new SipDatagramDecoder(1500, parseErrors, new SipMessageParser(), SipTrace.OFF),
                new InboundDispatcher(owners, handler));
    }

    private static DatagramPacket datagram(String text) {
        return new DatagramPacket(Unpooled.wrappedBuffer(bytes(text)), RECIPIENT, SENDER);
    }

    @Test
    void theOwnerIsAskedOnceWithTheRawCallIdAndTheMessageWaitsForItsExecutor() {
        EmbeddedChannel channel = datagrams();
        channel.writeInbound(datagram(request("INVITE", "call-1", "")));
        assertEquals(List.of("call-1"), asked);
        assertEquals(List.of(), delivered, "nothing is parsed or delivered on the receiving thread");
        assertEquals(0, executors[0].pending());
        assertEquals(1, executors[1].pending());

        executors[1].runAll();
        assertEquals(List.of("1 INVITE UDP " + SENDER + " received=127.0.0.2"), delivered);
        assertEquals(List.of("call-1"), asked, "no second decision after the parse");
    }

    @Test
    void messagesOfOtherCallsGoToTheirOwnersInArrivalOrder() {
        EmbeddedChannel channel = datagrams();
        channel.writeInbound(datagram(request("INVITE", "a-0", "")));
        channel.writeInbound(datagram(request("INVITE", "b-1", "")));
        channel.writeInbound(datagram(request("BYE", "a-0", "")));
        executors[0].runAll();
        executors[1].runAll();
        assertEquals(List.of("0 INVITE UDP " + SENDER + " received=127.0.0.2",
                "0 BYE UDP " + SENDER + " received=127.0.0.2",
                "1 INVITE UDP " + SENDER + " received=127.0.0.2"), delivered);
    }

    @Test
    void datagramsFromOnePeerShareOneFlowThatADialogCanKeepForHours() {
        EmbeddedChannel channel = datagrams();
        InetSocketAddress other = new InetSocketAddress("127.0.0.3", 40000);
        channel.writeInbound(datagram(request("INVITE", "a-0", "")));
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(request("INVITE", "b-0", ""))),
                RECIPIENT, new InetSocketAddress("127.0.0.2", 40000)));   // the same peer, a new address object
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(request("INVITE", "c-0", ""))),
                RECIPIENT, other));
        executors[0].runAll();
        assertEquals(3, flows.size());
        assertSame(flows.get(0), flows.get(1));
        assertEquals(other, flows.get(2).remote());
    }

    @Test
    void peerFlowsForgetTheOldestPeerBeyondTheirCapacity() {
        PeerFlows peers = new PeerFlows(RECIPIENT);
        Flow first = peers.from(new InetSocketAddress("127.0.0.2", 1));
        assertSame(first, peers.from(new InetSocketAddress("127.0.0.2", 1)));
        for (int port = 2; port <= PeerFlows.CAPACITY + 1; port++) {
            peers.from(new InetSocketAddress("127.0.0.2", port));
        }
        assertEquals(PeerFlows.CAPACITY, peers.size());
        Flow again = peers.from(new InetSocketAddress("127.0.0.2", 1));
        assertEquals(first, again);
        assertTrue(first != again, "the first peer was forgotten and comes back as a new flow");
    }

    @Test
    void aFramingFailureConcernsNoCallAndIsAnsweredOnTheReceivingThread() {
        EmbeddedChannel channel = datagrams();
        channel.writeInbound(datagram(request("INVITE", "c-1", "", "99")));
        assertEquals(List.of(), asked, "no owner is asked");
        assertEquals(0, executors[0].pending() + executors[1].pending());
        assertEquals(1, delivered.size());
        assertTrue(delivered.get(0).startsWith("malformed on -1: Content-Length 99"), delivered.get(0));
        assertEquals(1.0, parseErrors.count());
    }

    @Test
    void anUnparsableMessageIsCountedWhereItIsParsedOnItsOwner() {
        EmbeddedChannel channel = datagrams();
        channel.writeInbound(datagram("INVITE sip:bob@example.com SIP/2.0\r\nVia: garbage\r\nCall-ID: x-1\r\n\r\n"));
        assertEquals(0.0, parseErrors.count(), "not parsed on the receiving thread");
        executors[1].runAll();
        assertEquals(1.0, parseErrors.count());
        assertEquals(List.of("malformed on 1: bad header Via"), delivered);
    }

    @Test
    void aStreamMessageTravelsTheSameWayWithTheConnectionsFlow() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new SipStreamDecoder(1500, parseErrors, new SipMessageParser(), SipTrace.OFF),
                new InboundDispatcher(owners, handler));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(request("OPTIONS", "s-1", ""))));
        assertEquals(List.of("s-1"), asked);
        executors[1].runAll();
        assertEquals(1, delivered.size());
        assertTrue(delivered.get(0).startsWith("1 OPTIONS TCP "), delivered.get(0));
    }

    /** A request with {@code extra} lines of a one-letter extension header added to its header block. */
    private static String withHeaderLines(String callId, int extra) {
        return request("OPTIONS", callId, "").replace("\r\n\r\n", "\r\n" + "X: 1\r\n".repeat(extra) + "\r\n");
    }

    @Test
    void aMessageOverTheHeaderLineBoundIsCountedAndDroppedUnparsedWithoutAskingTheOwner() {
        int base = (int) withHeaderLines("x", 0).lines().skip(1).filter(l -> !l.isEmpty()).count();
        EmbeddedChannel channel = new EmbeddedChannel(
                new SipDatagramDecoder(65_535, parseErrors, new SipMessageParser(), SipTrace.OFF),
                new InboundDispatcher(owners, handler));
        channel.writeInbound(datagram(withHeaderLines("at-1", MessageIndex.MAX_HEADERS - base)));
        channel.writeInbound(datagram(withHeaderLines("over-1", MessageIndex.MAX_HEADERS - base + 1)));
        assertEquals(List.of("at-1"), asked);
        assertEquals(List.of("malformed on -1: more than 256 header lines"), delivered);
        assertEquals(1.0, parseErrors.count());
        executors[1].runAll();
        assertEquals(2, delivered.size());
        assertTrue(delivered.get(1).startsWith("1 OPTIONS UDP "), delivered.get(1));
    }

    @Test
    void aStreamMessageOverTheBoundIsDroppedAndTheConnectionReadsTheNextOne() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new SipStreamDecoder(65_535, parseErrors, new SipMessageParser(), SipTrace.OFF),
                new InboundDispatcher(owners, handler));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(withHeaderLines("over-1", MessageIndex.MAX_HEADERS)
                + request("OPTIONS", "next-1", ""))));
        assertEquals(List.of("next-1"), asked);
        executors[1].runAll();
        assertEquals(2, delivered.size(), delivered.toString());
        assertEquals("malformed on -1: more than 256 header lines", delivered.get(0));
        assertTrue(delivered.get(1).startsWith("1 OPTIONS TCP "), delivered.get(1));
        assertTrue(channel.isOpen());
    }

    @Test
    void withOneOwnerNoCallIdIsReadAndEveryCallGoesToIt() {
        CallOwners one = new CallOwners() {
            @Override
            public int indexFor(String callId) {
                asked.add(callId);
                return 0;
            }

            @Override
            public EventExecutor get(int index) {
                return executors[index];
            }

            @Override
            public int size() {
                return 1;
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(
                new SipDatagramDecoder(1500, parseErrors, new SipMessageParser(), SipTrace.OFF),
                new InboundDispatcher(one, handler));
        channel.writeInbound(datagram(request("INVITE", "a-1", "")));
        channel.writeInbound(datagram(request("INVITE", "b-0", "")));
        executors[0].runAll();
        assertEquals(List.of(), asked, "the only owner is not asked");
        assertEquals(List.of("0 INVITE UDP " + SENDER + " received=127.0.0.2",
                "0 INVITE UDP " + SENDER + " received=127.0.0.2"), delivered);
    }

    @Test
    void whatIsNotAMessagePassesOn() {
        EmbeddedChannel channel = new EmbeddedChannel(new InboundDispatcher(owners, handler));
        channel.writeInbound("not a message");
        assertInstanceOf(String.class, channel.readInbound());
        assertEquals(List.of(), asked);
    }
}
