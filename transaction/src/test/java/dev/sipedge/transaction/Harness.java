package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One shard's layer wired to a manual timer, a direct executor and recording fakes. */
final class Harness {
    static final TransactionSettings SETTINGS = TransactionSettings.DEFAULTS;
    static final Duration T1 = SETTINGS.t1();
    static final Duration T2 = SETTINGS.t2();
    static final Duration T4 = SETTINGS.t4();
    static final Duration TIMER_C = SETTINGS.timerC();
    static final Duration ONE_MS = Duration.ofMillis(1);

    record Ended(Transaction tx, EndReason reason) {
    }

    final ManualTimer timer = new ManualTimer();
    final RecordingTransport transport;
    final RecordingUser user = new RecordingUser();
    final List<Ended> ended = new ArrayList<>();
    final List<Transaction> created = new ArrayList<>();
    final TransactionLayer layer;
    final TransportKind kind;
    final Flow flow;

    Harness(TransportKind kind) {
        this(kind, new RecordingTransport());
    }

    Harness(TransportKind kind, RecordingTransport transport) {
        this.kind = kind;
        this.transport = transport;
        this.layer = new TransactionLayer(SETTINGS, timer, timer::nanoTime, Runnable::run, transport, user);
        this.flow = new Flow(kind, new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("192.0.2.1", 5060));
        layer.addListener(new TransactionListener() {
            @Override
            public void serverTransactionCreated(ServerTransaction tx) {
                created.add(tx);
            }

            @Override
            public void clientTransactionCreated(ClientTransaction tx) {
                created.add(tx);
            }

            @Override
            public void transactionEnded(Transaction tx, EndReason reason) {
                ended.add(new Ended(tx, reason));
            }
        });
    }

    static Duration times(long n, Duration d) {
        return d.multipliedBy(n);
    }

    void advance(Duration d) {
        timer.advance(d);
    }

    /** {@code tx} ended without its request, and nothing of it is left in the table or on the timer. */
    void assertGone(Transaction tx) {
        assertTrue(tx.isTerminated());
        assertNull(tx.request());
        assertEquals(0, layer.activeTransactions(), "removed from the table without its request");
        assertEquals(0, timer.pendingCount());
    }

    SIPRequest invite() {
        return Sip.invite(kind);
    }

    /** Receives a new request and returns the server transaction the TU was given. */
    ServerTransaction receiveNew(SIPRequest request) {
        int before = user.requests.size();
        layer.receive(request, flow);
        if (user.requests.size() != before + 1) {
            throw new AssertionError("request did not create a server transaction");
        }
        return user.requests.get(before).tx();
    }
}
