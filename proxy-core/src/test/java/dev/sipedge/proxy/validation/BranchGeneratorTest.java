package dev.sipedge.proxy.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class BranchGeneratorTest {

    private static final String OUR_HOST = "203.0.113.5";
    private static final Predicate<Via> OURS = via -> OUR_HOST.equals(via.getHost()) && via.getPort() == 5060;

    private final BranchGenerator branches = new BranchGenerator("node1");

    /** What the next hop sees after we forwarded {@code received} with fork index 0. */
    private String forwarded(SIPRequest received, String requestUri) {
        String ourVia = "Via: SIP/2.0/UDP " + OUR_HOST + ":5060;branch=" + branches.branchFor(received, 0) + "\n";
        return received.encode().replace("\r\n", "\n")
                .replaceFirst("(?m)^Via: ", ourVia.replace("$", "\\$") + "Via: ")
                .replaceFirst("^INVITE \\S+ ", "INVITE " + requestUri + " ");
    }

    /** ... and when that hop (B) sends it back to us, adding its own Via. */
    private static SIPRequest backFromB(String forwarded) {
        return Fixtures.request(forwarded.replaceFirst("(?m)^Via: ",
                "Via: SIP/2.0/UDP b.example.net;branch=z9hG4bKbbb1\nVia: "));
    }

    @Test
    void branchHasCookieHashIndexAndInstance() {
        SIPRequest invite = Fixtures.request(Fixtures.INVITE);
        String branch = branches.branchFor(invite, 3);
        assertTrue(branch.matches("z9hG4bK[0-9a-f]{32}\\.3\\.node1"), branch);
        assertEquals(branch, branches.branchFor(Fixtures.request(Fixtures.INVITE), 3), "deterministic");
        assertNotEquals(branch, branches.branchFor(invite, 4));
        assertEquals(branches.branch(branches.loopHash(invite), 3), branch);
    }

    @Test
    void instancesDifferInBranchButAgreeOnTheLoopHash() {
        SIPRequest invite = Fixtures.request(Fixtures.INVITE);
        BranchGenerator other = new BranchGenerator();
        assertNotEquals(branches.branchFor(invite, 0), other.branchFor(invite, 0));
        assertEquals(branches.loopHash(invite), other.loopHash(invite));
        assertThrows(IllegalArgumentException.class, () -> new BranchGenerator("a.b"));
    }

    @Test
    void twoInvitesOfOneCallGetDifferentBranches() {
        SIPRequest first = Fixtures.request(Fixtures.INVITE);
        SIPRequest reInvite = Fixtures.request(Fixtures.INVITE
                .replace("To: <sip:bob@example.org>", "To: <sip:bob@example.org>;tag=b1")
                .replace("CSeq: 1 INVITE", "CSeq: 2 INVITE")
                .replace("z9hG4bKuac1", "z9hG4bKuac2"));
        assertNotEquals(branches.branchFor(first, 0), branches.branchFor(reInvite, 0));
    }

    @Test
    void cancelHashesLikeItsInvite() {
        SIPRequest invite = Fixtures.request(Fixtures.INVITE);
        SIPRequest cancel = Fixtures.request(Fixtures.INVITE.replace("INVITE sip:", "CANCEL sip:")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL"));
        assertEquals(branches.loopHash(invite), branches.loopHash(cancel));
    }

    @Test
    void requestComingBackUnchangedIsALoop() {
        SIPRequest received = Fixtures.request(Fixtures.INVITE);
        SIPRequest back = backFromB(forwarded(received, "sip:bob@example.org"));
        assertTrue(branches.isLoop(back, OURS));
    }

    @Test
    void receivedAndRportAddedToTheSendersViaDoNotHideALoop() {
        SIPRequest received = Fixtures.request(Fixtures.INVITE);
        String out = forwarded(received, "sip:bob@example.org")
                .replace("branch=z9hG4bKuac1", "branch=z9hG4bKuac1;received=198.51.100.9;rport=5062");
        assertTrue(branches.isLoop(backFromB(out), OURS));
    }

    @Test
    void requestComingBackWithAnotherRequestUriIsASpiral() {
        SIPRequest received = Fixtures.request(Fixtures.INVITE);
        SIPRequest back = backFromB(forwarded(received, "sip:bob@192.0.2.77"));
        assertFalse(branches.isLoop(back, OURS));
    }

    @Test
    void noViaOfOursMeansNoLoop() {
        SIPRequest received = Fixtures.request(Fixtures.INVITE);
        SIPRequest back = backFromB(forwarded(received, "sip:bob@example.org"));
        assertFalse(branches.isLoop(back, via -> false));
        assertFalse(branches.isLoop(received, OURS));
    }

    @Test
    void ourViaWithAForeignBranchFormatIsIgnored() {
        SIPRequest request = Fixtures.request(Fixtures.INVITE.replace("Via: SIP/2.0/UDP 192.0.2.10",
                "Via: SIP/2.0/UDP " + OUR_HOST + ":5060;branch=z9hG4bKsomethingelse\nVia: SIP/2.0/UDP 192.0.2.10"));
        assertFalse(branches.isLoop(request, OURS));
        assertEquals(null, BranchGenerator.hashPart("z9hG4bKsomethingelse"));
    }

    /**
     * The loop hash is SHA-256 over the §16.6 step 8 fields, each written as
     * {@code <UTF-16 length>:<value>} ({@code -1:} when absent) and encoded as UTF-8: computed here
     * the plain way, so that the per-thread buffer the generator writes into cannot drift from it.
     */
    @Test
    void theLoopHashIsTheLengthPrefixedSha256OfTheFields() throws Exception {
        SIPRequest request = Fixtures.request(Fixtures.INVITE
                .replace("To: <sip:bob@example.org>", "To: <sip:bob@example.org>;tag=b7")
                .replace("CSeq: 1 INVITE", "CSeq: 2147483647 INVITE")
                .replace("Content-Length: 0", "Proxy-Require: foo\nProxy-Require: bar\n"
                        + "Proxy-Authorization: Digest username=\"J\u00f6rg \ud83d\ude00\", realm=\"example.org\"\n"
                        + "Content-Length: 0"));
        StringBuilder in = new StringBuilder();
        for (String field : new String[] {"b7", "a1", "val-1@192.0.2.10", "sip:bob@example.org", "UDP", "192.0.2.10",
                "5060", "z9hG4bKuac1", "2147483647", "foo", "bar",
                ((SIPHeader) request.getHeader("Proxy-Authorization")).getHeaderValue()}) {
            in.append(field.length()).append(':').append(field);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.toString().getBytes(StandardCharsets.UTF_8));

        assertTrue(in.toString().contains("J\u00f6rg \ud83d\ude00"), "the value reached the input as sent: " + in);
        assertEquals(HexFormat.of().formatHex(digest, 0, 16), branches.loopHash(request));
    }

    @Test
    void absentFieldsAreMarkedInTheHashInput() throws Exception {
        SIPRequest request = Fixtures.request(Fixtures.INVITE);
        request.removeHeader("Via");
        StringBuilder in = new StringBuilder();
        for (String field : new String[] {null, "a1", "val-1@192.0.2.10", "sip:bob@example.org", null, "1"}) {
            in.append(field == null ? "-1:" : field.length() + ":" + field);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest, 0, 16), branches.loopHash(request));
    }
}
