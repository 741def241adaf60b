package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Transport.KeptDatagram;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store of completed non-INVITE finals: each key finds its own bytes, exactly as kept, until
 * its deadline and not after; ring growth, chunk changes, hash collisions and expiry in the middle
 * of a chain lose or mix up nothing, and an empty store leaves no timeout behind.
 */
class KeptFinalsTest {
    private static final Duration HOLD = Duration.ofSeconds(32);
    private static final Duration ONE_MS = Duration.ofMillis(1);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 5062);

    private final ManualTimer timer = new ManualTimer();
    private final RecordingTransport transport = new RecordingTransport(true);
    /** The plain String-based hash, so that a test can put keys in one chain on purpose. */
    private final KeptFinals store = new KeptFinals(timer, timer::nanoTime, Runnable::run, TransactionKey::hashCode);

    private static TransactionKey key(String branch) {
        return new TransactionKey(branch, "192.0.2.1:5060", "BYE");
    }

    private static String ok(String branch, int bodyLength) {
        return "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=" + branch + "\r\n\r\n" + "x".repeat(bodyLength);
    }

    private boolean keep(TransactionKey key, String text) {
        return store.keep(key, new KeptDatagram(text.getBytes(StandardCharsets.ISO_8859_1), LOCAL, PEER), HOLD);
    }

    /** What one resend of {@code key} put on the wire, or null when nothing was kept for it. */
    private String resend(TransactionKey key) {
        int before = transport.datagrams().size();
        if (!store.resend(key, transport)) {
            assertEquals(before, transport.datagrams().size(), "nothing sent for a key not kept");
            return null;
        }
        assertEquals(before + 1, transport.datagrams().size());
        RecordingTransport.Resent resent = transport.datagrams().get(before);
        assertSame(LOCAL, resent.local());
        assertSame(PEER, resent.target());
        return resent.text();
    }

    @Test
    void aKeptFinalIsResentAsKeptUntilItsDeadline() {
        assertTrue(keep(key("z9hG4bK-1"), ok("z9hG4bK-1", 0)));
        assertEquals(1, store.size());

        assertEquals(ok("z9hG4bK-1", 0), resend(key("z9hG4bK-1")));
        assertEquals(ok("z9hG4bK-1", 0), resend(key("z9hG4bK-1")), "every retransmission answered");
        timer.advance(HOLD.minus(ONE_MS));
        assertEquals(ok("z9hG4bK-1", 0), resend(key("z9hG4bK-1")), "still kept just before Timer J");

        timer.advance(ONE_MS);
        assertEquals(0, store.size());
        assertEquals(null, resend(key("z9hG4bK-1")), "gone at Timer J");
        assertEquals(0, timer.pendingCount(), "an empty store holds no timeout");
    }

    @Test
    void onlyTheWholeKeyMatches() {
        keep(key("z9hG4bK-1"), ok("z9hG4bK-1", 0));

        assertEquals(null, resend(key("z9hG4bK-2")), "other branch");
        assertEquals(null, resend(key("z9hG4bK-")), "branch a prefix of the kept one");
        assertEquals(null, resend(new TransactionKey("z9hG4bK-1", "192.0.2.1:5061", "BYE")), "other sent-by");
        assertEquals(null, resend(new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "INFO")), "other method");
        // Same length split differently between branch and sent-by: the same characters in a row.
        assertEquals(null, resend(new TransactionKey("z9hG4bK-11", "92.0.2.1:5060", "BYE")), "other split");
    }

    @Test
    void keysWithTheSameHashEachFindTheirOwnFinal() {
        // "Aa" and "BB" have the same String hash, so these keys share a hash and a chain.
        TransactionKey first = key("z9hG4bK-Aa");
        TransactionKey second = key("z9hG4bK-BB");
        assertEquals(first.hashCode(), second.hashCode());
        keep(first, ok("first", 0));
        timer.advance(Duration.ofSeconds(10));
        keep(second, ok("second", 0));

        assertEquals(ok("first", 0), resend(first));
        assertEquals(ok("second", 0), resend(second));
        timer.advance(HOLD.minus(Duration.ofSeconds(10)));
        assertEquals(null, resend(first), "the older one, last of its chain, expired");
        assertEquals(ok("second", 0), resend(second), "the newer one in the same chain still there");
        timer.advance(Duration.ofSeconds(10));
        assertEquals(null, resend(second));
        assertEquals(0, store.size());
    }

    @Test
    void aKeyKeptAloneAbsorbsWithoutSendingUntilItsDeadline() {
        TransactionKey invite = new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "INVITE");
        assertTrue(store.keepKey(invite, HOLD));
        keep(key("z9hG4bK-1"), ok("bye", 0));

        assertTrue(store.contains(invite));
        assertTrue(store.resend(invite, transport), "known: the retransmission is absorbed");
        assertEquals(List.of(), transport.datagrams(), "and nothing is sent for it");
        assertEquals(0, store.resent());
        assertEquals(ok("bye", 0), resend(key("z9hG4bK-1")), "the final beside it is unaffected");
        assertEquals(2, store.size());
        timer.advance(HOLD);
        assertFalse(store.contains(invite));
        assertFalse(store.resend(invite, transport));
        assertEquals(0, store.size());
    }

    @Test
    void keysMadeToShareAStringHashDoNotShareAChainUnderTheKeyedHash() {
        KeptFinals keyed = new KeptFinals(timer, timer::nanoTime, Runnable::run, new KeyHash(7, 11)::of);
        List<TransactionKey> keys = KeyHashTest.collidingKeys(11);
        for (TransactionKey key : keys) {
            assertTrue(keyed.keep(key, new KeptDatagram(ok(key.branch(), 0).getBytes(StandardCharsets.ISO_8859_1),
                    LOCAL, PEER), HOLD));
        }
        // 2,048 entries in 4,096 buckets: a chain longer than a dozen is a broken hash, not bad luck.
        assertTrue(keyed.longestChain() <= 12, "longest chain " + keyed.longestChain());
        for (TransactionKey key : keys) {
            assertTrue(keyed.resend(key, transport));
            List<RecordingTransport.Resent> sent = transport.datagrams();
            assertEquals(ok(key.branch(), 0), sent.get(sent.size() - 1).text());
        }
        timer.advance(HOLD);
        assertEquals(0, keyed.size());
    }

    @Test
    void thousandsOfFinalsOverManyChunksAndThreeDeadlinesStayApart() {
        int count = 3_000; // a few hundred bytes each: many chunks, many doublings of the ring
        for (int i = 0; i < count; i++) {
            assertTrue(keep(key("z9hG4bK-a" + i), ok("a" + i, i % 300)));
        }
        timer.advance(Duration.ofSeconds(16));
        for (int i = 0; i < count; i++) {
            keep(key("z9hG4bK-b" + i), ok("b" + i, i % 300));
        }
        assertEquals(2 * count, store.size());
        for (int i = 0; i < count; i += 7) {
            assertEquals(ok("a" + i, i % 300), resend(key("z9hG4bK-a" + i)));
            assertEquals(ok("b" + i, i % 300), resend(key("z9hG4bK-b" + i)));
        }

        timer.advance(Duration.ofSeconds(16));
        assertEquals(count, store.size(), "the first batch expired at its deadline");
        // A third batch is written while the second lives: into the first's freed chunk and new ones.
        for (int i = 0; i < count; i++) {
            keep(key("z9hG4bK-c" + i), ok("c" + i, (i * 7) % 300));
        }
        for (int i = 0; i < count; i += 7) {
            assertEquals(null, resend(key("z9hG4bK-a" + i)));
            assertEquals(ok("b" + i, i % 300), resend(key("z9hG4bK-b" + i)), "the second intact after the first's chunks went");
            assertEquals(ok("c" + i, (i * 7) % 300), resend(key("z9hG4bK-c" + i)));
        }
        timer.advance(Duration.ofSeconds(16));
        assertEquals(count, store.size(), "the second batch expired");
        for (int i = 0; i < count; i += 7) {
            assertEquals(ok("c" + i, (i * 7) % 300), resend(key("z9hG4bK-c" + i)), "the third intact");
        }
        timer.advance(Duration.ofSeconds(16));
        assertEquals(0, store.size());
        assertEquals(0, timer.pendingCount());

        // Kept again after emptying: written from the start of a chunk, found as before.
        keep(key("z9hG4bK-d"), ok("d", 10));
        assertEquals(ok("d", 10), resend(key("z9hG4bK-d")));
    }

    @Test
    void aDatagramLargerThanAChunkIsKeptWhole() {
        String small = ok("small", 100);
        String large = ok("large", KeptFinals.CHUNK_BYTES + 1_000);
        keep(key("z9hG4bK-s"), small);
        keep(key("z9hG4bK-l"), large);
        keep(key("z9hG4bK-t"), small);

        assertEquals(large, resend(key("z9hG4bK-l")));
        assertEquals(small, resend(key("z9hG4bK-s")));
        assertEquals(small, resend(key("z9hG4bK-t")));
    }

    @Test
    void aKeyBeyondLatin1IsNotKept() {
        TransactionKey rfc2543 = new TransactionKey("rfc2543|sip:\u0411@example.com|", "192.0.2.1:5060", "BYE");
        assertFalse(keep(rfc2543, ok("x", 0)));
        assertEquals(0, store.size());
        assertEquals(0, timer.pendingCount());
        assertEquals(null, resend(rfc2543));

        TransactionKey latin1 = new TransactionKey("rfc2543|sip:\u00e9@example.com|", "192.0.2.1:5060", "BYE");
        assertTrue(keep(latin1, ok("y", 0)), "Latin-1 characters fit a byte each");
        assertEquals(ok("y", 0), resend(latin1));
        assertEquals(List.of(), transport.sent(), "resends go out as datagrams, not messages");
    }
}
