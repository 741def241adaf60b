package dev.sipedge.management;

import dev.sipedge.dialog.DialogFilter;
import dev.sipedge.dialog.DialogPatch;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.EndCause;
import dev.sipedge.dialog.OperatorEnd;
import dev.sipedge.dialog.PingMode;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Dialogs and profiles held in lists; every future is complete on return, and every call is recorded. */
final class FakeDialogs implements DialogOperations {
    final List<DialogSnapshot> dialogs = new ArrayList<>();
    final List<ProfileView> profiles = new ArrayList<>();
    final List<DialogFilter> filters = new ArrayList<>();
    final List<OperatorEnd> ends = new ArrayList<>();
    final List<DialogPatch> patches = new ArrayList<>();
    final List<String> profileEnds = new ArrayList<>();

    /** A confirmed dialog with every field set; {@code n} makes id and Call-ID unique. */
    static DialogSnapshot confirmed(int n) {
        return dialog("n1." + n, n, "call-" + n, DialogState.CONFIRMED);
    }

    static DialogSnapshot dialog(String id, long sequence, String callId, DialogState state) {
        Flow callerFlow = new Flow(TransportKind.UDP, new InetSocketAddress("127.0.0.1", 5060),
                new InetSocketAddress("127.0.0.1", 5061));
        DialogSnapshot.LegSnapshot caller = new DialogSnapshot.LegSnapshot("sip:alice@example.com", "a-tag",
                Optional.of("sip:alice@127.0.0.1:5061"), 2, List.of(), Optional.of(callerFlow),
                new DialogSnapshot.Ping(PingMode.NONE, 0));
        DialogSnapshot.LegSnapshot callee = new DialogSnapshot.LegSnapshot("sip:bob@example.com", "b-tag",
                Optional.empty(), 1, List.of("sip:p2.example.com;lr"), Optional.empty(),
                new DialogSnapshot.Ping(PingMode.OPTIONS, 1));
        return new DialogSnapshot(id, sequence, callId, state, Instant.parse("2026-12-03T08:00:00Z"),
                Duration.ofMillis(3_599_400), caller, Optional.of(callee),
                List.of(new DialogSnapshot.ProfileEntry("inbound", Optional.empty()),
                        new DialogSnapshot.ProfileEntry("caller", Optional.of("alice"))),
                Map.of("tenant", "acme"), List.of("vip"),
                state == DialogState.ENDED ? Optional.of(EndCause.CALLER_BYE) : Optional.empty());
    }

    @Override
    public CompletableFuture<List<DialogSnapshot>> list(DialogFilter filter) {
        filters.add(filter);
        return CompletableFuture.completedFuture(dialogs.stream()
                .filter(d -> filter.idOrCallId().map(k -> d.id().equals(k) || d.callId().equals(k)).orElse(true))
                .filter(d -> filter.state().map(s -> d.state() == s).orElse(true))
                .toList());
    }

    @Override
    public CompletableFuture<Optional<DialogSnapshot>> patch(String idOrCallId, DialogPatch patch) {
        patches.add(patch);
        return CompletableFuture.completedFuture(find(idOrCallId));
    }

    @Override
    public CompletableFuture<Integer> end(String idOrCallId, OperatorEnd how) {
        ends.add(how);
        return CompletableFuture.completedFuture(find(idOrCallId).isPresent() ? 1 : 0);
    }

    @Override
    public CompletableFuture<Integer> endProfile(String profile, String value) {
        profileEnds.add(profile + "=" + value);
        return CompletableFuture.completedFuture(2);
    }

    @Override
    public List<ProfileView> profiles() {
        return profiles;
    }

    private Optional<DialogSnapshot> find(String key) {
        return dialogs.stream().filter(d -> d.id().equals(key) || d.callId().equals(key)).findFirst();
    }
}
