package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management API of the real process with SIPp calls held (scripts/sipp/dialog-api-end: both
 * sides hold until the proxy's BYE, and check its tags, CSeq and Reason). Three calls from
 * caller "sipp", each in the profiles {@code inbound} and {@code caller=sipp}:
 * <ol>
 *   <li>{@code GET /dialogs} lists exactly the Call-IDs SIPp sent, all confirmed; a single call
 *       reads the same by Call-ID and by id; the profile endpoints count 3;</li>
 *   <li>{@code PATCH} changes one call's timeout, values and flags;</li>
 *   <li>{@code DELETE /dialogs/{id}} with a reason and an extra header: both legs of that call get
 *       a BYE from the proxy carrying them;</li>
 *   <li>{@code DELETE /profiles/caller/dialogs?value=sipp} ends the other two ({@code ending: 2});</li>
 *   <li>every call completes on both SIPp sides, and what is left in the table is ended by the operator.</li>
 * </ol>
 * A ringing call (uac-early.xml) ended with {@code DELETE}: CANCEL to the callee, 487 to the caller.
 */
@Tag("e2e")
class ManagementApiE2ETest {

    static final String CONFIG = """
            sipedge.dialog.profiles { with-value = [caller], no-value = [inbound] }
            sipedge.routes = [
              {
                next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@"
                dialog {
                  track = true
                  profiles = [ { name = inbound }, { name = caller, value = "${from.user}" } ]
                }
              }
            ]
            """;
    private static final int CALLS = 3;
    private static final Duration UAC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UAS_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void listPatchAndEndHeldCallsThroughTheApi() {
        Path work = E2eEnvironment.newWorkDir("management-api");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG);
                SippPair pair = SippPair.start(work, "dialog-api-end", "uac.xml", proxy.sipAddress(), uasPort,
                        new SippProcess.Options().calls(CALLS).timeout(UAC_TIMEOUT).traceMessages(true), UAS_TIMEOUT)) {
            ManagementClient api = new ManagementClient(proxy);
            assertEquals("up", api.get("/health").json().path("status").asText());

            ManagementClient.Answer held = api.await("/dialogs?state=confirmed",
                    a -> a.json().path("count").asInt() == CALLS, BOUND, CALLS + " confirmed dialogs");
            List<String> callIds = held.callIds();
            assertEquals(CALLS, new HashSet<>(callIds).size(), "distinct Call-IDs: " + callIds);
            assertEquals(CALLS, api.get("/dialogs").json().path("count").asInt(), "no other dialog");
            assertEquals(0, api.get("/dialogs?state=early").json().path("count").asInt());

            String first = callIds.get(0);
            JsonNode byCallId = api.get("/dialogs/" + first).json();
            String id = byCallId.path("id").asText();
            assertEquals(byCallId, api.get("/dialogs/" + id).json(), "by id and by Call-ID: the same dialog");
            assertEquals(List.of(first), api.get("/dialogs?callid=" + first).callIds());
            assertAll("the dialog object of a held call",
                    () -> assertEquals("confirmed", byCallId.path("state").asText()),
                    () -> assertEquals(4, byCallId.path("state-code").asInt()),
                    () -> assertTrue(byCallId.path("caller").path("uri").asText().startsWith("sip:sipp@")),
                    () -> assertTrue(byCallId.path("callee").path("tag").asText().contains("SIPpTag01")),
                    () -> assertEquals("udp", byCallId.path("caller").path("flow").path("transport").asText()),
                    () -> assertTrue(byCallId.path("timeout").asLong() > 40_000, "12 h default lifetime"),
                    () -> assertEquals(2, byCallId.path("profiles").size()));

            assertProfiles(api);

            ManagementClient.Answer patched = api.call("PATCH", "/dialogs/" + id,
                    "{\"timeout\": 600, \"values\": {\"ticket\": \"T-1\"}, \"flags\": [\"audited\"]}");
            assertEquals(200, patched.status(), patched.json().toString());
            long timeout = patched.json().path("timeout").asLong();
            assertTrue(timeout <= 600 && timeout > 590, "timeout " + timeout);
            assertEquals("T-1", api.get("/dialogs/" + id).json().path("values").path("ticket").asText());
            assertEquals("audited", api.get("/dialogs/" + id).json().path("flags").path(0).asText());

            ManagementClient.Answer ended = api.call("DELETE", "/dialogs/" + id + "?reason=maintenance%20window",
                    "{\"headers\": [\"X-Ended-By: e2e\"]}");
            assertEquals(202, ended.status(), ended.json().toString());
            assertEquals(1, ended.json().path("ending").asInt());
            assertEquals(404, api.call("DELETE", "/dialogs/no-such-call", "").status());

            ManagementClient.Answer rest = api.call("DELETE", "/profiles/caller/dialogs?value=sipp", "");
            assertEquals(202, rest.status(), rest.json().toString());
            assertEquals(CALLS - 1, rest.json().path("ending").asInt());

            SippPair.Ended over = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(5), UAS_TIMEOUT.plusSeconds(5));
            over.assertAllSucceeded(CALLS, () -> "--- proxy log (tail):\n" + proxy.logTail(30));

            assertEquals(Set.copyOf(callIds), byeCallIds(over.uac()), "every caller got a BYE from the proxy");
            assertEquals(Set.copyOf(callIds), byeCallIds(over.uas()), "every callee got a BYE from the proxy");
            for (SippResult side : List.of(over.uac(), over.uas())) {
                SipMessageLog.Entry bye = SipTraces.received(side, "BYE").stream()
                        .filter(b -> b.header("call-id").contains(first)).findFirst().orElseThrow();
                assertEquals(List.of("Q.850;cause=16;text=\"maintenance window\""), bye.header("reason"),
                        side.role() + " BYE of the DELETEd call");
                assertEquals(List.of("e2e"), bye.header("x-ended-by"), side.role() + " BYE of the DELETEd call");
            }
            JsonNode left = api.get("/dialogs").json();
            assertEquals(0, api.get("/dialogs?state=confirmed").json().path("count").asInt(), left.toString());
            left.path("dialogs").forEach(d -> assertEquals("operator", d.path("end-cause").asText(), d.toString()));
        }
    }

    /** DELETE of a ringing call: the callee gets a CANCEL, the caller a 487 (uac-early.xml checks both). */
    @Test
    @Timeout(value = 90)
    void deletingAnEarlyCallCancelsIt() {
        Path work = E2eEnvironment.newWorkDir("management-api-early");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG);
                SippPair pair = SippPair.start(work, "dialog-api-end", "uac-early.xml", proxy.sipAddress(), uasPort,
                        new SippProcess.Options().calls(1).service("early").timeout(UAC_TIMEOUT).traceMessages(true),
                        UAS_TIMEOUT)) {
            ManagementClient api = new ManagementClient(proxy);
            String callId = api.await("/dialogs?state=early", a -> a.json().path("count").asInt() == 1, BOUND,
                    "one early dialog").callIds().get(0);
            JsonNode early = api.get("/dialogs/" + callId).json();
            assertEquals(2, early.path("state-code").asInt(), early.toString());

            ManagementClient.Answer ended = api.call("DELETE", "/dialogs/" + callId, "");
            assertEquals(202, ended.status(), ended.json().toString());
            assertEquals(1, ended.json().path("ending").asInt());

            SippPair.Ended over = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(5), UAS_TIMEOUT.plusSeconds(5));
            over.assertAllSucceeded(1, () -> "--- proxy log (tail):\n" + proxy.logTail(30));
            assertEquals(1, SipTraces.received(over.uas(), "CANCEL").size(), "the callee got the proxy's CANCEL");
            assertTrue(SipTraces.received(over.uas(), "BYE").isEmpty(), "no BYE for an early call");
            api.await("/dialogs", a -> a.json().path("count").asInt() == 0
                    || a.json().path("dialogs").path(0).path("end-cause").asText().equals("operator"), BOUND,
                    "the dialog ended by the operator");
        }
    }

    private static void assertProfiles(ManagementClient api) {
        JsonNode profiles = api.get("/profiles").json().path("profiles");
        assertEquals("caller", profiles.path(0).path("name").asText());
        assertEquals(CALLS, profiles.path(0).path("size").asInt());
        assertEquals("inbound", profiles.path(1).path("name").asText());
        assertEquals(CALLS, profiles.path(1).path("size").asInt());
        JsonNode caller = api.get("/profiles/caller").json();
        assertEquals(CALLS, caller.path("values").path("sipp").asInt(), caller.toString());
        assertEquals(CALLS, api.get("/profiles/caller?value=sipp").json().path("size").asInt());
        assertEquals(0, api.get("/profiles/caller?value=nobody").json().path("size").asInt());
        assertEquals(CALLS, api.get("/profiles/inbound/dialogs").json().path("count").asInt());
        assertEquals(1, api.get("/profiles/caller/dialogs?value=sipp&limit=1").json().path("dialogs").size());
        assertEquals(404, api.get("/profiles/outbound").status());
    }

    private static Set<String> byeCallIds(SippResult side) {
        return SipTraces.received(side, "BYE").stream().flatMap(b -> b.header("call-id").stream())
                .collect(Collectors.toSet());
    }
}
