package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static dev.sipedge.dialog.DialogHarness.UAS2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.RecordingClientListener;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases a review of the module found uncovered: forged spirals, early forks, odd Contacts, 2xx route sets. */
class DialogEdgeCasesTest {
    private final DialogHarness h = new DialogHarness(DialogHarness.settings().withProfiles(List.of("caller"), List.of()));

    @Test
    void anInviteThatOnlyCopiesTheKeysOfALiveCallIsNotASpiral() {
        Call first = h.call("f1").forward(UAS);
        // Same Call-ID, From tag and CSeq, but straight from a UA: no Via of ours, so not our spiral.
        Call copy = h.call(Msgs.invite("f1").via("127.0.0.1:5061", "z9hG4bK-copy").build(), DialogOptions.TRACK);

        assertFalse(copy.tracked().spiral());
        assertNotSame(first.dialog(), copy.dialog());
        assertEquals(2.0, h.counter("sipedge_dialogs_processed"));
    }

    @Test
    void aCopiedInviteStillMeetsTheProfileCap() {
        DialogOptions capped = DialogOptions.TRACK.withProfiles(
                List.of(new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 1, 486)));
        h.call(Msgs.invite("f2").build(), capped).forward(UAS);
        // Even with a Via that names our own address: only a branch of ours proves the spiral.
        Call copy = h.call(Msgs.invite("f2").via("127.0.0.1:5060", "z9hG4bK-copy2").build(), capped);

        assertInstanceOf(Refusal.class, copy.creation, "a copy of the keys must not slip past the cap");
        assertEquals(486, copy.refusal().status());
    }

    @Test
    void anEarlyByeOnOneForkEndsOnlyThatFork() {
        Call c = h.call("f3").forward(UAS, UAS2);
        c.respond(UAS, 180, "b1");
        c.respond(UAS2, 180, "b2");

        h.sequential(c.fromCaller("BYE", "b1").build(), UAC).respond(200);

        assertEquals(DialogState.EARLY, c.dialog().state(), "the other fork still rings");
        assertEquals(List.of("b2"), c.dialog().calleeLegs().stream().map(Leg::tag).toList());
        c.respond(UAS2, 200, "b2");
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
        assertEquals("b2", c.dialog().callee().tag());
        assertEquals(1.0, h.gauge("sipedge_dialogs_active"));
    }

    private static <T extends SIPMessage> T wildcardContact(T message) {
        @SuppressWarnings("unchecked")
        T parsed = (T) Msgs.parse(message.encode().replaceAll("Contact: [^\r\n]*", "Contact: *"));
        return parsed;
    }

    @Test
    void aWildcardContactNamesNoTarget() {
        Call c = h.call(wildcardContact(Msgs.invite("f4").build()), DialogOptions.TRACK);
        assertInstanceOf(Creation.Tracked.class, c.creation);
        assertNull(c.dialog().caller().remoteTarget());
        c.forward(UAS);
        c.respond(UAS, 180, "b1");
        c.receive(UAS, wildcardContact(c.answer(UAS, 200, "b1").build()), true);

        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state(), "the answer still confirms the dialog");
        assertEquals(Call.contactOf(UAS), c.dialog().callee().remoteTarget(), "the 180's target stays");
    }

    @Test
    void theRouteSetOfTheTwoHundredReplacesTheOneOfTheProvisional() {
        Call c = h.call("f5").forward(UAS);
        c.receive(UAS, c.answer(UAS, 180, "b1").recordRouteOnTop("sip:p1.example.com;lr").build(), true);
        assertEquals(List.of("sip:p1.example.com;lr"), c.dialog().callee().routeSet());

        c.receive(UAS, c.answer(UAS, 200, "b1").recordRouteOnTop("sip:p3.example.com;lr", "sip:p2.example.com;lr")
                .build(), true);

        assertEquals(List.of("sip:p2.example.com;lr", "sip:p3.example.com;lr"), c.dialog().callee().routeSet(),
                "RFC 3261 §13.2.2.4: the 2xx fixes the route set (nearest proxy first)");
    }

    @Test
    void theCalleeLegRemembersWhereItsAnswerCameFrom() {
        Call c = h.call("f6").forward(UAS);
        InetSocketAddress natted = new InetSocketAddress("127.0.0.77", 40000);
        h.layer.receive(c.answer(UAS, 180, "b1").build(), new Flow(TransportKind.UDP, DialogHarness.PROXY, natted));

        assertEquals(natted, c.dialog().callee().flow().remote());
    }

    @Test
    void noProfileMembershipOnceTheDialogHasEnded() {
        Call c = h.call("f7").establish();
        Dialog d = c.dialog();
        c.callerBye();

        assertFalse(d.addToProfile("caller", "late"), "nothing would ever remove it");
        assertEquals(0, h.module.profiles().get("caller").size());
    }

    @Test
    void theSecondPassOfASpiralledRequestIsNotAppliedTwice() {
        List<String> seen = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onRequestWithin(Dialog dialog, SIPRequest request, Direction direction) {
                seen.add(request.getMethod());
            }
        });
        Call c = h.call("f8").establish();
        SIPRequest info = c.fromCaller("INFO").build();
        h.sequential(info, UAC);
        // We relay it to ourselves: a client transaction whose branch is in the copy's top Via.
        SIPRequest relayed = c.fromCaller("INFO").via("127.0.0.1:5060", "z9hG4bK-px-info-1").build();
        relayed.setCSeq(info.getCSeq());
        h.layer.sendRequest(relayed, DialogHarness.flow(DialogHarness.PROXY), new RecordingClientListener());

        DialogHarness.Seq second = h.sequential((SIPRequest) Msgs.parse(relayed.encode()), DialogHarness.PROXY);

        assertEquals(List.of("INFO"), seen);
        assertTrue(second.unmatched(), "the first pass applied it; relayed, not refused");
        assertEquals(0.0, h.counter("sipedge_dialogs_unmatched_requests"));
    }

    @Test
    void aViaThatOnlyNamesOurAddressIsNoSpiral() {
        List<String> seen = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onRequestWithin(Dialog dialog, SIPRequest request, Direction direction) {
                seen.add(request.getMethod());
            }
        });
        Call c = h.call("f12").establish();
        // A phone behind NAT may write our own address and port, or somebody may forge it.
        SIPRequest info = c.fromCaller("INFO").via("127.0.0.1:5060", "z9hG4bK-not-ours").build();

        h.sequential(info, UAC);

        assertEquals(List.of("INFO"), seen, "applied to the dialog like any other request");
    }

    @Test
    void anEmbedderPolicyDecidesWhichInvitesAreTracked() {
        h.module.setPolicy((invite, configured) ->
                invite.getCallId().getCallId().startsWith("track-") ? DialogOptions.TRACK : DialogOptions.NONE);

        assertSame(DialogOptions.TRACK, h.tracker.optionsFor(Msgs.invite("track-1").build(), DialogOptions.NONE));
        assertSame(DialogOptions.NONE, h.tracker.optionsFor(Msgs.invite("other-1").build(), DialogOptions.TRACK));
        h.module.setPolicy((invite, configured) -> null);
        assertSame(DialogOptions.NONE, h.tracker.optionsFor(Msgs.invite("x").build(), DialogOptions.TRACK),
                "a policy answering null tracks nothing");
    }

    @Test
    void anUndeclaredProfileGivesBackThePlacesAlreadyTaken() {
        DialogOptions broken = DialogOptions.TRACK.withProfiles(List.of(
                new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 0, 486),
                new ProfileRule("nowhere", null, 0, 486)));
        SIPRequest invite = Msgs.invite("f11").build();
        assertThrows(IllegalArgumentException.class, () -> h.call(invite, broken));

        assertEquals(0, h.module.profiles().get("caller").size(), "no membership left behind");
        assertEquals(0, h.tracker.size());
    }
}
