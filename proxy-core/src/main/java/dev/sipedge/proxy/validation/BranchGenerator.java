package dev.sipedge.proxy.validation;

import gov.nist.javax.sip.header.ProxyRequire;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ProxyRequireHeader;

/**
 * Via branch values for forwarded requests (RFC 3261 §16.6 step 8) and loop detection
 * (§16.3 step 4).
 *
 * <p>A branch is {@code z9hG4bK<loop-hash>.<index>.<instance>}:
 * <ul>
 *   <li><b>loop hash</b>: 128 bits of SHA-256, in hex, over the parts of the request as received
 *       that §16.6 step 8 lists: To tag, From tag, Call-ID, Request-URI, the topmost Via, the
 *       CSeq <em>number</em> (not the method, so a CANCEL hashes like its INVITE), Proxy-Require and
 *       Proxy-Authorization. The Via enters as transport, sent-by and branch only, so that a
 *       downstream element re-encoding it or us adding {@code received}/{@code rport} does not
 *       change the hash. Max-Forwards, Route and Record-Route do not enter, so the hash is the same
 *       before and after §16.4 pre-processing and §16.6 rewriting (except a strict-router fix-up,
 *       which changes the Request-URI).</li>
 *   <li><b>index</b>: the branch number within the response context, so forks differ.</li>
 *   <li><b>instance</b>: random per instance, so a request received again after a restart (state
 *       lost) starts a new downstream transaction instead of colliding with an old one.</li>
 * </ul>
 * Two INVITEs of one call differ in CSeq number and in the UAC's branch, hence in hash. A CANCEL
 * reuses the stored branch of its INVITE (§9.1); the proxy keeps it, nothing is recomputed.
 *
 * <p><b>Loops.</b> A request is looping when it carries a Via of ours whose branch hash equals the
 * hash of the request now, computed with the Via right below ours standing in for "the topmost
 * Via" (that was the topmost one when we first received it). A request that comes back with a
 * different Request-URI (a spiral, e.g. after retargeting) hashes differently and is not a loop.
 * The hash comparison needs the request as received: call {@link #isLoop} and {@link #loopHash}
 * on the same stage of processing.
 *
 * <p>Thread-safe (stateless apart from the instance tag).
 */
public final class BranchGenerator {

    /** RFC 3261 §8.1.1.7 magic cookie. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    private static final int HASH_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final String instance;

    /** A generator with a random instance tag. */
    public BranchGenerator() {
        this(randomTag());
    }

    /** A generator with a fixed instance tag (e.g. the node id); letters and digits only. */
    public BranchGenerator(String instanceTag) {
        Objects.requireNonNull(instanceTag, "instanceTag");
        if (instanceTag.isEmpty() || !instanceTag.chars().allMatch(Character::isLetterOrDigit)
                || !instanceTag.chars().allMatch(c -> c < 128)) {
            throw new IllegalArgumentException("instance tag must be ASCII letters or digits: " + instanceTag);
        }
        this.instance = instanceTag;
    }

    /** The branch for fork {@code index} of {@code received} (the request as received). */
    public String branchFor(SIPRequest received, int index) {
        return branch(loopHash(received), index);
    }

    /** The branch for fork {@code index} given a hash from {@link #loopHash}. */
    public String branch(String loopHash, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative branch index " + index);
        }
        return MAGIC_COOKIE + loopHash + '.' + index + '.' + instance;
    }

    /** The §16.6 step 8 hash of {@code received}, using its topmost Via. */
    public String loopHash(SIPRequest received) {
        return hash(received, received.getTopmostVia());
    }

    /**
     * §16.3 step 4: true when a Via that {@code isOurVia} accepts carries the branch we would give
     * this request now (class comment). Vias of ours with other branch formats are ignored.
     */
    public boolean isLoop(SIPRequest request, Predicate<Via> isOurVia) {
        ViaList vias = request.getViaHeaders();
        if (vias == null) {
            return false;
        }
        for (int i = 0; i < vias.size(); i++) {
            Via via = (Via) vias.get(i);
            if (!isOurVia.test(via)) {
                continue;
            }
            String received = hashPart(via.getBranch());
            if (received == null) {
                continue;
            }
            Via below = i + 1 < vias.size() ? (Via) vias.get(i + 1) : null;
            if (received.equals(hash(request, below))) {
                return true;
            }
        }
        return false;
    }

    /** The hash part of a branch we generated, or {@code null} if it is not one of ours. */
    static String hashPart(String branch) {
        if (branch == null || !branch.startsWith(MAGIC_COOKIE)) {
            return null;
        }
        int dot = branch.indexOf('.', MAGIC_COOKIE.length());
        if (dot != MAGIC_COOKIE.length() + 2 * HASH_BYTES) {
            return null;
        }
        return branch.substring(MAGIC_COOKIE.length(), dot).toLowerCase(Locale.ROOT);
    }

    private static String hash(SIPRequest request, Via topmost) {
        HashInput in = HashInput.reset();
        in.field(request.getTo() == null ? null : request.getToTag());
        in.field(request.getFrom() == null ? null : request.getFromTag());
        in.field(request.getCallId() == null ? null : request.getCallId().getCallId());
        in.field(request.getRequestURI() == null ? null : request.getRequestURI().toString());
        if (topmost != null) {
            in.field(topmost.getTransport() == null ? null : topmost.getTransport().toUpperCase(Locale.ROOT));
            in.field(topmost.getHost() == null ? null : topmost.getHost().toLowerCase(Locale.ROOT));
            in.field(topmost.getPort());
            in.field(topmost.getBranch());
        } else {
            in.field(null);
        }
        if (request.getCSeq() == null) {
            in.field(null);
        } else {
            in.field(request.getCSeq().getSeqNumber());
        }
        Iterator<SIPHeader> proxyRequire = request.getHeaders(ProxyRequireHeader.NAME);
        while (proxyRequire.hasNext()) {
            in.field(((ProxyRequire) proxyRequire.next()).getOptionTag());
        }
        Iterator<SIPHeader> proxyAuth = request.getHeaders(ProxyAuthorizationHeader.NAME);
        while (proxyAuth.hasNext()) {
            in.field(proxyAuth.next().getHeaderValue());
        }
        MessageDigest digest = sha256();
        digest.update(in.bytes, 0, in.length);
        return HEX.formatHex(digest.digest(), 0, HASH_BYTES);
    }

    /**
     * The hash input: each field length-prefixed ({@code <UTF-16 length>:<value>}, {@code -1:} for
     * none), so that no two different field sequences give the same input, then UTF-8. Written
     * into one buffer per thread rather than a string builder, a string and its bytes for every
     * forwarded request; the bytes are the same.
     */
    private static final class HashInput {
        private static final ThreadLocal<HashInput> PER_THREAD = ThreadLocal.withInitial(HashInput::new);

        byte[] bytes = new byte[512];
        int length;

        static HashInput reset() {
            HashInput in = PER_THREAD.get();
            in.length = 0;
            return in;
        }

        void field(String value) {
            if (value == null) {
                ascii("-1:");
                return;
            }
            number(value.length());
            put((byte) ':');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    // not ASCII: the rest as the JDK encodes it (surrogate pairs, malformed ones)
                    for (byte b : value.substring(i).getBytes(StandardCharsets.UTF_8)) {
                        put(b);
                    }
                    return;
                }
                put((byte) c);
            }
        }

        /** A number as its decimal text, the same as {@code field(Long.toString(n))}. */
        void field(long n) {
            int start = length;
            number(n);
            int digits = length - start;
            length = start;
            number(digits);
            put((byte) ':');
            number(n);
        }

        private void number(long n) {
            if (n < 0) {
                put((byte) '-');
                if (n == Long.MIN_VALUE) {
                    ascii("9223372036854775808");
                    return;
                }
                n = -n;
            }
            int start = length;
            do {
                put((byte) ('0' + n % 10));
                n /= 10;
            } while (n > 0);
            for (int i = start, j = length - 1; i < j; i++, j--) {
                byte t = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = t;
            }
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put((byte) s.charAt(i));
            }
        }

        private void put(byte b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = b;
        }
    }

    /** One digest per thread: {@code getInstance} walks the provider list, too slow per request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    private static MessageDigest sha256() {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest;
    }

    private static String randomTag() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
