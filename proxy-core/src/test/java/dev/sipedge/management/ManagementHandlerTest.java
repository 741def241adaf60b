package dev.sipedge.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sipedge.dialog.DialogPatch;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.OperatorEnd;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API over HTTP on an {@link EmbeddedChannel}: routing, 404/405, the bearer token, the error
 * shape, paging and filters, the dialog object field by field, the mutating calls and the audit log.
 */
class ManagementHandlerTest {
    private final FakeDialogs dialogs = new FakeDialogs();
    private boolean draining;
    private ReloadOutcome reloadOutcome = new ReloadOutcome.Refused("reload not available");
    private final ProcessControl process = new ProcessControl() {
        @Override
        public boolean draining() {
            return draining;
        }

        @Override
        public ReloadOutcome reload() {
            return reloadOutcome;
        }
    };
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger("sipedge.management.audit");

    private final Level auditLevel = auditLogger.getLevel();

    {
        audit.start();
        auditLogger.addAppender(audit);
        auditLogger.setLevel(Level.INFO);    // a test logback configuration may quieten it
    }

    @AfterEach
    void detach() {
        auditLogger.detachAppender(audit);
        auditLogger.setLevel(auditLevel);
    }

    /** The answer's status and parsed JSON body. */
    private record Answer(int status, JsonNode json, FullHttpResponse response) {
        String header(CharSequence name) {
            return response.headers().get(name);
        }
    }

    private Answer call(Optional<String> token, HttpMethod method, String uri, String body, String authorization) {
        EmbeddedChannel channel = new EmbeddedChannel(
                new ManagementHandler(new ManagementApi(dialogs, process, Runnable::run), token));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertNotNull(response, method + " " + uri + " got no answer");
        try {
            assertEquals("application/json; charset=utf-8", response.headers().get(HttpHeaderNames.CONTENT_TYPE));
            JsonNode json = Json.MAPPER.readTree(response.content().toString(StandardCharsets.UTF_8));
            return new Answer(response.status().code(), json, response);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.content().toString(StandardCharsets.UTF_8), e);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private Answer call(HttpMethod method, String uri, String body) {
        return call(Optional.empty(), method, uri, body, null);
    }

    private Answer get(String uri) {
        return call(HttpMethod.GET, uri, "");
    }

    /** An error answer: the status, and a body that is exactly {"error": "<text>"}. */
    private static void assertError(int status, Answer a) {
        assertEquals(status, a.status(), a.json().toString());
        assertEquals(List.of("error"), keys(a.json()), a.json().toString());
        assertTrue(a.json().get("error").isTextual() && !a.json().get("error").asText().isEmpty());
    }

    private static List<String> keys(JsonNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void healthIsUpOr503WhileDraining() {
        Answer up = get("/health");
        assertEquals(200, up.status());
        assertEquals("up", up.json().get("status").asText());
        draining = true;
        Answer down = get("/health");
        assertEquals(503, down.status());
        assertEquals("draining", down.json().get("status").asText());
    }

    @Test
    void unknownPathsAre404() {
        for (String uri : List.of("/", "/nope", "/dialogs/a/b", "/profiles/x/y", "/health/x", "/metrics")) {
            assertError(404, get(uri));
        }
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        Answer post = call(HttpMethod.POST, "/dialogs", "");
        assertError(405, post);
        assertEquals("GET", post.header(HttpHeaderNames.ALLOW));
        Answer reload = get("/reload");
        assertError(405, reload);
        assertEquals("POST", reload.header(HttpHeaderNames.ALLOW));
        Answer put = call(HttpMethod.PUT, "/dialogs/x", "");
        assertError(405, put);
        assertEquals("GET, PATCH, DELETE", put.header(HttpHeaderNames.ALLOW));
        assertEquals("GET, DELETE", call(HttpMethod.POST, "/profiles/caller/dialogs", "").header(HttpHeaderNames.ALLOW));
        assertError(405, call(HttpMethod.DELETE, "/profiles", ""));
    }

    @Test
    void withATokenEveryRequestNeedsTheBearer() {
        Optional<String> token = Optional.of("s3cret");
        Answer none = call(token, HttpMethod.GET, "/health", "", null);
        assertError(401, none);
        assertEquals("Bearer", none.header(HttpHeaderNames.WWW_AUTHENTICATE));
        assertError(401, call(token, HttpMethod.GET, "/health", "", "Bearer s3cre"));
        assertError(401, call(token, HttpMethod.GET, "/health", "", "Basic czNjcmV0"));
        assertError(401, call(token, HttpMethod.GET, "/nope", "", "Bearer wrong"));
        assertEquals(200, call(token, HttpMethod.GET, "/health", "", "Bearer s3cret").status());
        assertEquals(200, call(token, HttpMethod.GET, "/health", "", "bearer s3cret").status());
        dialogs.dialogs.add(FakeDialogs.confirmed(1));
        assertError(401, call(token, HttpMethod.DELETE, "/dialogs/call-1", "", null));
        assertTrue(dialogs.ends.isEmpty(), "an unauthorized DELETE ended nothing");
        assertEquals(1, audit.list.size(), "the refused DELETE is audited");
        assertTrue(audit.list.get(0).getFormattedMessage().contains("DELETE /dialogs/call-1 -> 401"));
    }

    @Test
    void listingPagesAndCountsEveryMatch() {
        for (int i = 1; i <= 5; i++) {
            dialogs.dialogs.add(FakeDialogs.confirmed(i));
        }
        Answer all = get("/dialogs");
        assertEquals(200, all.status());
        assertEquals(List.of("count", "dialogs"), keys(all.json()));
        assertEquals(5, all.json().get("count").asInt());
        assertEquals(5, all.json().get("dialogs").size());

        Answer page = get("/dialogs?limit=2&offset=1");
        assertEquals(5, page.json().get("count").asInt(), "count is every match, not the page");
        assertEquals(List.of("call-2", "call-3"), callIds(page.json()));
        assertEquals(List.of(), callIds(get("/dialogs?offset=9").json()));
        assertError(400, get("/dialogs?limit=-1"));
        assertError(400, get("/dialogs?offset=x"));
    }

    @Test
    void filtersByCallIdAndState() {
        dialogs.dialogs.add(FakeDialogs.confirmed(1));
        dialogs.dialogs.add(FakeDialogs.dialog("n1.2", 2, "call-2", DialogState.EARLY));
        dialogs.dialogs.add(FakeDialogs.dialog("n1.3", 3, "call-3", DialogState.CONFIRMED_NA));
        assertEquals(List.of("call-2"), callIds(get("/dialogs?state=early").json()));
        assertEquals(List.of("call-3"), callIds(get("/dialogs?state=answered").json()));
        assertEquals(List.of("call-1"), callIds(get("/dialogs?state=confirmed").json()));
        assertEquals(List.of("call-3"), callIds(get("/dialogs?callid=call-3").json()));
        assertEquals(List.of(), callIds(get("/dialogs?callid=n1.3").json()), "callid is a Call-ID, never a did");
        assertEquals(List.of(), callIds(get("/dialogs?callid=call-3&state=early").json()));
        assertError(400, get("/dialogs?state=ringing"));
    }

    private static List<String> callIds(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("dialogs").forEach(d -> out.add(d.get("call-id").asText()));
        return out;
    }

    @Test
    void theDialogObjectFieldByField() {
        dialogs.dialogs.add(FakeDialogs.confirmed(7));
        JsonNode d = get("/dialogs/n1.7").json();
        assertEquals(List.of("id", "call-id", "state", "state-code", "caller", "callee", "start-time", "timeout",
                "profiles", "values", "flags", "pings"), keys(d));
        assertEquals("n1.7", d.get("id").asText());
        assertEquals("call-7", d.get("call-id").asText());
        assertEquals("confirmed", d.get("state").asText());
        assertEquals(4, d.get("state-code").asInt());
        JsonNode caller = d.get("caller");
        assertEquals(List.of("uri", "tag", "contact", "cseq", "route-set", "flow"), keys(caller));
        assertEquals("sip:alice@example.com", caller.get("uri").asText());
        assertEquals("a-tag", caller.get("tag").asText());
        assertEquals("sip:alice@127.0.0.1:5061", caller.get("contact").asText());
        assertEquals(2, caller.get("cseq").asLong());
        assertEquals(0, caller.get("route-set").size());
        assertEquals("udp", caller.get("flow").get("transport").asText());
        assertEquals("127.0.0.1:5060", caller.get("flow").get("local").asText());
        assertEquals("127.0.0.1:5061", caller.get("flow").get("remote").asText());
        JsonNode callee = d.get("callee");
        assertEquals("b-tag", callee.get("tag").asText());
        assertTrue(callee.get("contact").isNull());
        assertEquals("sip:p2.example.com;lr", callee.get("route-set").get(0).asText());
        assertTrue(callee.get("flow").isNull());
        assertEquals("2026-12-03T08:00:00Z", d.get("start-time").asText());
        assertEquals(3600, d.get("timeout").asLong(), "3599.4 s left shows as 3600");
        assertEquals("inbound", d.get("profiles").get(0).get("name").asText());
        assertTrue(d.get("profiles").get(0).get("value").isNull());
        assertEquals("alice", d.get("profiles").get(1).get("value").asText());
        assertEquals("acme", d.get("values").get("tenant").asText());
        assertEquals("vip", d.get("flags").get(0).asText());
        assertEquals("none", d.get("pings").get("caller").get("kind").asText());
        assertEquals("options", d.get("pings").get("callee").get("kind").asText());
        assertEquals(1, d.get("pings").get("callee").get("failures").asInt());

        dialogs.dialogs.add(FakeDialogs.dialog("n1.8", 8, "call-8", DialogState.ENDED));
        JsonNode ended = get("/dialogs/call-8").json();
        assertEquals("caller_bye", ended.get("end-cause").asText());
        assertEquals(5, ended.get("state-code").asInt());
        assertEquals(d.get("caller"), get("/dialogs").json().get("dialogs").get(0).get("caller"),
                "a listing renders the dialog as GET /dialogs/{id} does");
    }

    @Test
    void aDialogWithoutCalleeYetHasNullCalleeAndCalleePing() {
        DialogSnapshot full = FakeDialogs.confirmed(3);
        dialogs.dialogs.add(new DialogSnapshot("n1.3", 3, "call-3", DialogState.UNCONFIRMED, full.startTime(),
                Duration.ofHours(12), full.caller(), Optional.empty(), List.of(), Map.of(), List.of(), Optional.empty()));
        JsonNode d = get("/dialogs/call-3").json();
        assertEquals("unconfirmed", d.get("state").asText());
        assertEquals(1, d.get("state-code").asInt());
        assertTrue(d.get("callee").isNull());
        assertTrue(d.get("pings").get("callee").isNull());
        assertEquals(43_200, d.get("timeout").asLong());
        assertEquals(0, d.get("profiles").size());
        assertEquals(0, d.get("values").size());
        assertFalse(d.has("end-cause"), "no end cause while it lives");
    }

    @Test
    void anEncodedCallIdIsOneSegment() {
        dialogs.dialogs.add(FakeDialogs.dialog("n1.9", 9, "a/b+c@host", DialogState.CONFIRMED));
        Answer a = get("/dialogs/a%2Fb+c%40host");
        assertEquals(200, a.status(), a.json().toString());
        assertEquals("a/b+c@host", a.json().get("call-id").asText());
        assertError(404, get("/dialogs/nothing"));
    }

    @Test
    void deleteEndsWithReasonAndHeadersAndAudits() {
        dialogs.dialogs.add(FakeDialogs.confirmed(1));
        Answer a = call(HttpMethod.DELETE, "/dialogs/call-1?reason=maintenance",
                "{\"headers\": [\"X-Ticket: 42\"]}");
        assertEquals(202, a.status(), a.json().toString());
        assertEquals(1, a.json().get("ending").asInt());
        assertEquals(new OperatorEnd(Optional.of("maintenance"), List.of("X-Ticket: 42")), dialogs.ends.get(0));

        call(HttpMethod.DELETE, "/dialogs/call-1", "{\"reason\": \"fraud\"}");
        assertEquals(new OperatorEnd(Optional.of("fraud"), List.of()), dialogs.ends.get(1));

        assertError(404, call(HttpMethod.DELETE, "/dialogs/call-9", ""));
        assertError(400, call(HttpMethod.DELETE, "/dialogs/call-1", "{\"headers\": [\"Call-ID: x\"]}"));
        assertError(400, call(HttpMethod.DELETE, "/dialogs/call-1", "{\"why\": 1}"));
        assertError(400, call(HttpMethod.DELETE, "/dialogs/call-1", "not json"));
        assertEquals(3, dialogs.ends.size(), "refused bodies end nothing");

        List<String> lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(6, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("DELETE /dialogs/call-1?reason=maintenance -> 202"), lines.get(0));
        assertTrue(lines.get(2).endsWith("-> 404"), lines.get(2));
        assertEquals(200, get("/dialogs").status());
        assertEquals(6, audit.list.size(), "a GET is not audited");
    }

    @Test
    void patchChangesTimeoutValuesAndFlags() {
        dialogs.dialogs.add(FakeDialogs.confirmed(1));
        Answer a = call(HttpMethod.PATCH, "/dialogs/n1.1",
                "{\"timeout\": 60, \"values\": {\"tenant\": \"acme\", \"old\": null}, \"flags\": [\"vip\"]}");
        assertEquals(200, a.status(), a.json().toString());
        assertEquals("n1.1", a.json().get("id").asText(), "answers the dialog");
        assertEquals(new DialogPatch(Optional.of(Duration.ofSeconds(60)), Map.of("tenant", "acme", "old", ""),
                Optional.of(Set.of("vip"))), dialogs.patches.get(0));

        assertError(404, call(HttpMethod.PATCH, "/dialogs/nope", "{\"timeout\": 5}"));
        for (String bad : List.of("", "{}", "{\"timeout\": 0}", "{\"timeout\": 1.5}", "{\"timeout\": \"5\"}",
                "{\"values\": [1]}", "{\"values\": {\"a\": 1}}", "{\"flags\": \"vip\"}", "{\"lifetime\": 5}", "[]")) {
            assertError(400, call(HttpMethod.PATCH, "/dialogs/n1.1", bad));
        }
        assertEquals(2, dialogs.patches.size());
    }

    @Test
    void profilesListShowMembersAndEnd() {
        dialogs.profiles.add(new ProfileView("caller", true, 3, Map.of("alice", 2, "bob", 1)));
        dialogs.profiles.add(new ProfileView("inbound", false, 3, Map.of()));

        JsonNode list = get("/profiles").json();
        assertEquals("caller", list.get("profiles").get(0).get("name").asText());
        assertTrue(list.get("profiles").get(0).get("with-value").asBoolean());
        assertEquals(3, list.get("profiles").get(1).get("size").asInt());
        assertFalse(list.get("profiles").get(1).get("with-value").asBoolean());

        JsonNode caller = get("/profiles/caller").json();
        assertEquals(3, caller.get("size").asInt());
        assertEquals(2, caller.get("values").get("alice").asInt());
        assertEquals(1, caller.get("values").get("bob").asInt());
        JsonNode alice = get("/profiles/caller?value=alice").json();
        assertEquals(2, alice.get("size").asInt());
        assertEquals(List.of("alice"), keys(alice.get("values")));
        assertEquals(0, get("/profiles/caller?value=carol").json().get("size").asInt());
        assertError(404, get("/profiles/outbound"));
        assertError(400, get("/profiles/inbound?value=x"));

        dialogs.dialogs.add(FakeDialogs.confirmed(1));
        JsonNode members = get("/profiles/caller/dialogs?value=alice").json();
        assertEquals(1, members.get("count").asInt());
        assertEquals("caller", dialogs.filters.get(dialogs.filters.size() - 1).profile().orElseThrow());
        assertEquals("alice", dialogs.filters.get(dialogs.filters.size() - 1).profileValue().orElseThrow());
        assertError(404, get("/profiles/nope/dialogs"));

        Answer ended = call(HttpMethod.DELETE, "/profiles/caller/dialogs?value=alice", "");
        assertEquals(202, ended.status());
        assertEquals(2, ended.json().get("ending").asInt());
        assertEquals(List.of("caller=alice"), dialogs.profileEnds);
        assertError(404, call(HttpMethod.DELETE, "/profiles/nope/dialogs", ""));
    }

    @Test
    void reloadAnswersWhatChangedOrWhyItWasRefused() {
        assertError(400, call(HttpMethod.POST, "/reload", ""));
        reloadOutcome = new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of("sipedge.listen"));
        Answer ok = call(HttpMethod.POST, "/reload", "");
        assertEquals(200, ok.status());
        assertEquals("sipedge.routes", ok.json().get("changed").get(0).asText());
        assertEquals("sipedge.listen", ok.json().get("need-restart").get(0).asText());
        Iterator<ILoggingEvent> it = audit.list.iterator();
        assertTrue(it.next().getFormattedMessage().contains("POST /reload -> 400"));
        assertTrue(it.next().getFormattedMessage().contains("POST /reload -> 200"));
    }
}
