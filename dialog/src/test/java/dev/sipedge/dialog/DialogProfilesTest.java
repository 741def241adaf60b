package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Profiles with and without value, caps, sizes, membership lifetime, gauges and start-up checks. */
class DialogProfilesTest {
    private final DialogHarness h = new DialogHarness(DialogHarness.settings()
            .withProfiles(List.of("caller", "trunk"), List.of("inbound")));
    private final DialogOptions options = DialogOptions.TRACK.withProfiles(List.of(
            new ProfileRule("inbound", null, 0, 486),
            new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 2, 486)));

    private Call call(String callId, String fromUser) {
        return h.call(Msgs.invite(callId).from("sip:" + fromUser + "@example.com", "a-" + callId).build(), options);
    }

    @Test
    void dialogsJoinTheirProfilesWithAndWithoutValue() {
        Dialog a1 = call("p1", "alice").dialog();
        Dialog a2 = call("p2", "alice").dialog();
        Dialog b1 = call("p3", "bob").dialog();
        DialogProfile caller = h.module.profiles().get("caller");
        DialogProfile inbound = h.module.profiles().get("inbound");
        assertTrue(caller.withValue());
        assertFalse(inbound.withValue());
        assertEquals(2, caller.size("alice"));
        assertEquals(1, caller.size("bob"));
        assertEquals(0, caller.size("carol"));
        assertEquals(3, caller.size());
        assertEquals(3, inbound.size());
        assertEquals(Set.of("alice", "bob"), Set.copyOf(caller.values()));
        assertEquals(List.of(), inbound.values());
        assertEquals(Set.of(a1, a2), Set.copyOf(caller.dialogs("alice")));
        assertEquals(Set.of(a1, a2, b1), Set.copyOf(caller.dialogs(null)));
        assertTrue(caller.isIn(a1));
        assertTrue(caller.isIn(a1, "alice"));
        assertFalse(caller.isIn(a1, "bob"));
        assertTrue(inbound.isIn(b1));
        assertTrue(a1.isInProfile("caller", "alice"));
        assertTrue(a1.isInProfile("caller", null));
        assertTrue(a1.isInProfile("inbound", null));
        assertFalse(a1.isInProfile("trunk", null));
        assertEquals(3.0, h.profileGauge("caller"));
        assertEquals(3.0, h.profileGauge("inbound"));
        assertEquals(0.0, h.profileGauge("trunk"));
    }

    @Test
    void fullProfileRejectsTheCallWithItsStatusAndLeavesNoTrace() {
        call("p4", "alice");
        call("p5", "alice");
        Call third = call("p6", "alice");
        assertInstanceOf(Refusal.class, third.creation);
        assertEquals(486, third.refusal().status());
        assertEquals("Busy here", third.refusal().reason());
        assertEquals(2, h.tracker.size());
        assertEquals(2, h.module.profiles().get("inbound").size(), "the earlier profile of the refused call is left");
        assertEquals(2.0, h.counter("sipedge_dialogs_processed"));
        assertEquals(2, h.tracker.transactions.initialInvites.size());
        assertInstanceOf(Creation.Tracked.class, call("p7", "bob").creation, "the cap is per value");
    }

    @Test
    void rejectStatusIsConfigurable() {
        DialogOptions strict = DialogOptions.TRACK.withProfiles(List.of(new ProfileRule("inbound", null, 1, 503)));
        h.call(Msgs.invite("p8").build(), strict);
        Refusal refused = h.call(Msgs.invite("p9").build(), strict).refusal();
        assertEquals(503, refused.status());
    }

    @Test
    void membershipEndsWhenTheDialogIsDestroyed() {
        Call c = call("p10", "alice").forward(UAS);
        Dialog d = c.dialog();
        c.respond(UAS, 486, "b1");
        DialogProfile caller = h.module.profiles().get("caller");
        assertFalse(caller.isIn(d));
        assertEquals(0, caller.size());
        assertEquals(List.of(), caller.values());
        assertEquals(0.0, h.profileGauge("inbound"));
        assertInstanceOf(Creation.Tracked.class, call("p11", "alice").creation);
    }

    @Test
    void apiAddAndRemove() {
        Dialog d = h.call("p12").dialog();
        assertTrue(d.addToProfile("trunk", "t1"));
        assertTrue(d.addToProfile("trunk", "t1"), "twice under one value is fine");
        assertTrue(d.addToProfile("trunk", "t2"));
        assertTrue(d.addToProfile("inbound", "ignored"));
        DialogProfile trunk = h.module.profiles().get("trunk");
        assertEquals(2, trunk.size());
        assertTrue(d.isInProfile("inbound", null));
        assertTrue(d.removeFromProfile("trunk", "t1"));
        assertFalse(d.removeFromProfile("trunk", "t1"));
        assertEquals(List.of("t2"), trunk.values());
        assertTrue(d.removeFromProfile("trunk", null));
        assertEquals(0, trunk.size());
        assertThrows(IllegalArgumentException.class, () -> d.addToProfile("nope", null));

        Dialog other = h.call("p13").dialog();
        assertTrue(other.addToProfile("trunk", "t9", 1));
        assertFalse(d.addToProfile("trunk", "t9", 1), "cap through the API");
        assertFalse(d.isInProfile("trunk", "t9"));
    }

    private static final Flow SOURCE = DialogHarness.flow(DialogHarness.UAC);

    @Test
    void valueTemplateVariables() {
        var invite = Msgs.invite("vt").from("sip:alice@a.example.com", "x").to("sip:bob@b.example.com", null)
                .requestUri("sip:carol@c.example.com:5080").build();
        assertEquals("alice", ValueTemplate.parse("${from.user}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("a.example.com", ValueTemplate.parse("${from.host}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("sip:alice@a.example.com", ValueTemplate.parse("${from.uri}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("bob@b.example.com", ValueTemplate.parse("${to.user}@${ to.host }").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("sip:bob@b.example.com", ValueTemplate.parse("${to.uri}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("trunk-c.example.com", ValueTemplate.parse("trunk-${ruri.host}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("carol", ValueTemplate.parse("${ruri.user}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("sip:carol@c.example.com:5080", ValueTemplate.parse("${ruri}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("id:vt", ValueTemplate.parse("id:${callid}").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("plain", ValueTemplate.parse("plain").evaluate(invite, SOURCE).orElseThrow());
        assertEquals("${from.user}", ValueTemplate.parse("${from.user}").toString());
        var tel = Msgs.invite("vt2").requestUri("tel:+15551234").build();
        assertEquals("[]", "[" + ValueTemplate.parse("${ruri.host}").evaluate(tel, SOURCE).orElseThrow() + "]", "no host: empty");
    }

    @Test
    void valueTemplateFailsAtParse() {
        assertThrows(IllegalArgumentException.class, () -> ValueTemplate.parse("${from.nickname}"));
        assertThrows(IllegalArgumentException.class, () -> ValueTemplate.parse("x-${from.user"));
    }

    @Test
    void checkOptionsCatchesConfigurationErrors() {
        h.module.checkOptions(options, "route 1");
        IllegalArgumentException undeclared = assertThrows(IllegalArgumentException.class, () -> h.module.checkOptions(
                DialogOptions.TRACK.withProfiles(List.of(new ProfileRule("ghost", null, 0, 486))), "route 2"));
        assertTrue(undeclared.getMessage().contains("route 2") && undeclared.getMessage().contains("ghost"));
        assertThrows(IllegalArgumentException.class, () -> h.module.checkOptions(
                DialogOptions.TRACK.withProfiles(List.of(new ProfileRule("caller", null, 0, 486))), "r"));
        assertThrows(IllegalArgumentException.class, () -> h.module.checkOptions(DialogOptions.TRACK.withProfiles(
                List.of(new ProfileRule("inbound", ValueTemplate.parse("${from.user}"), 0, 486))), "r"));
    }

    @Test
    void profileRuleChecksItsValues() {
        assertThrows(IllegalArgumentException.class, () -> new ProfileRule("x", null, -1, 486));
        assertThrows(IllegalArgumentException.class, () -> new ProfileRule("x", null, 0, 200));
        assertThrows(IllegalArgumentException.class, () -> new ProfileRule("x", null, 0, 700));
    }

    @Test
    void profilesAreSharedAcrossShards() {
        DialogTracker second = h.module.newTracker(Runnable::run, h.timer, DialogHarness.IDENTITY,
                () -> h.timer.now().toNanos());
        call("p14", "alice");
        Dialog d = h.call("p15").dialog();
        assertTrue(d.addToProfile("caller", "alice", 2));
        assertEquals(2, h.module.profiles().get("caller").size("alice"));
        assertEquals(2, h.module.trackers().size());
        assertEquals(0, second.size());
        assertEquals(Set.of("p14", "p15"), h.module.profiles().get("caller").dialogs("alice").stream()
                .map(Dialog::callId).collect(Collectors.toSet()));
    }
}
