package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The source and header forms of profile values ({@code ${source.ip}}, {@code ${source.port}},
 * {@code ${header.NAME}}), and per-trunk / per-tenant caps written with them.
 */
class ValueTemplateTest {
    private static final InetSocketAddress TRUNK = new InetSocketAddress("192.0.2.7", 5099);
    private static final Flow FROM_TRUNK = new Flow(TransportKind.UDP, DialogHarness.PROXY, TRUNK);

    private static SIPRequest invite(String callId, String... headerLines) {
        SIPRequest r = Msgs.invite(callId).build();
        // each goes right after the request line: inserted last to first, they keep their order
        for (int i = headerLines.length - 1; i >= 0; i--) {
            r = DialogEnderTest.withHeader(r, headerLines[i]);
        }
        return r;
    }

    private static Optional<String> eval(String template, SIPRequest request, Flow source) {
        return ValueTemplate.parse(template).evaluate(request, source);
    }

    @Test
    void sourceAddressAndPortAreThoseTheInviteCameFrom() {
        SIPRequest r = invite("s1");
        assertEquals(Optional.of("192.0.2.7"), eval("${source.ip}", r, FROM_TRUNK));
        assertEquals(Optional.of("5099"), eval("${source.port}", r, FROM_TRUNK));
        assertEquals(Optional.of("trunk-192.0.2.7:5099"), eval("trunk-${source.ip}:${ source.port }", r, FROM_TRUNK));
        Flow v6 = new Flow(TransportKind.TCP, DialogHarness.PROXY, new InetSocketAddress("::1", 40000));
        assertEquals(Optional.of("0:0:0:0:0:0:0:1"), eval("${source.ip}", r, v6));
    }

    @Test
    void headerIsTheTrimmedValueOfItsFirstOccurrenceWhateverTheCaseOfItsName() {
        SIPRequest r = invite("h1", "x-TENANT:   acme  ", "X-Tenant: globex");
        assertEquals(Optional.of("acme"), eval("${header.X-Tenant}", r, FROM_TRUNK));
        assertEquals(Optional.of("acme"), eval("${header.x-tenant}", r, FROM_TRUNK));
        assertEquals(Optional.of("tenant-acme@192.0.2.7"), eval("tenant-${header.X-Tenant}@${source.ip}", r, FROM_TRUNK));
        assertEquals(Optional.of("h1"), eval("${header.Call-ID}", r, FROM_TRUNK), "a header JAIN-SIP knows");
        assertEquals(Optional.of(""), eval("${header.X-Empty}", invite("h2", "X-Empty:"), FROM_TRUNK),
                "present but empty: the empty value");
    }

    @Test
    void anAbsentHeaderGivesNoValueAlsoInsideLiteralText() {
        SIPRequest r = invite("h3");
        assertEquals(Optional.empty(), eval("${header.X-Tenant}", r, FROM_TRUNK));
        assertEquals(Optional.empty(), eval("tenant-${header.X-Tenant}", r, FROM_TRUNK));
    }

    @Test
    void badNamesFailAtParse() {
        assertThrows(IllegalArgumentException.class, () -> ValueTemplate.parse("${header.}"));
        assertThrows(IllegalArgumentException.class, () -> ValueTemplate.parse("${header.X Tenant}"));
        assertThrows(IllegalArgumentException.class, () -> ValueTemplate.parse("${header.X:Tenant}"));
        assertThrows(IllegalArgumentException.class, () -> ValueTemplate.parse("${source.mac}"));
    }

    @Test
    void aPerTenantCapCountsEachTenantApartAndSkipsCallsWithoutTheHeader() {
        DialogHarness h = new DialogHarness(DialogHarness.settings().withProfiles(List.of("tenant"), List.of()));
        DialogOptions options = DialogOptions.TRACK.withProfiles(
                List.of(new ProfileRule("tenant", ValueTemplate.parse("${header.X-Tenant}"), 1, 503)));
        Call acme = h.call(invite("c1", "X-Tenant: acme"), options);
        assertInstanceOf(Creation.Tracked.class, acme.creation);
        assertTrue(acme.dialog().isInProfile("tenant", "acme"));

        Refusal second = h.call(invite("c2", "X-Tenant: acme"), options).refusal();
        assertEquals(503, second.status());

        Call globex = h.call(invite("c3", "x-tenant: globex"), options);
        assertInstanceOf(Creation.Tracked.class, globex.creation);
        Call none = h.call(invite("c4"), options);
        assertInstanceOf(Creation.Tracked.class, none.creation, "no header: not capped by the tenant profile");
        assertFalse(none.dialog().isInProfile("tenant", null));
        DialogProfile tenant = h.module.profiles().get("tenant");
        assertEquals(2, tenant.size());
        assertEquals(1, tenant.size("acme"));
        assertEquals(1, tenant.size("globex"));
    }

    @Test
    void aPerSourceCapCountsCallsFromOneAddressWhateverTheirPort() {
        DialogHarness h = new DialogHarness(DialogHarness.settings().withProfiles(List.of("trunk"), List.of()));
        DialogOptions options = DialogOptions.TRACK.withProfiles(
                List.of(new ProfileRule("trunk", ValueTemplate.parse("${source.ip}"), 1, 486)));
        assertInstanceOf(Creation.Tracked.class,
                h.call(invite("t1"), options, new InetSocketAddress("127.0.0.1", 5061)).creation);
        assertInstanceOf(Refusal.class,
                h.call(invite("t2"), options, new InetSocketAddress("127.0.0.1", 5063)).creation);
        Call other = h.call(invite("t3"), options, new InetSocketAddress("127.0.0.2", 5061));
        assertInstanceOf(Creation.Tracked.class, other.creation);
        assertTrue(other.dialog().isInProfile("trunk", "127.0.0.2"));
    }
}
