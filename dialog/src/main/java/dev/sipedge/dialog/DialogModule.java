package dev.sipedge.dialog;

import dev.sipedge.recordroute.LocalIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The dialog module of one process: settings, the did issuer, the profiles, the global listeners,
 * the statistics, and one {@link DialogTracker} per shard. Wired by proxy-core: create the module,
 * then {@link #newTracker} for each shard and register the tracker with that shard's transaction
 * layer.
 */
public final class DialogModule {
    private final DialogSettings settings;
    private final DidCookie cookies;
    private final DialogProfiles profiles;
    private final List<DialogListener> listeners = new CopyOnWriteArrayList<>();
    private final List<DialogTracker> trackers = new CopyOnWriteArrayList<>();
    private final DialogMetrics metrics;
    private volatile DialogPolicy policy = DialogPolicy.CONFIGURED;
    private volatile DurableChanges durable = DurableChanges.NONE;

    public DialogModule(DialogSettings settings, MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cookies = new DidCookie(settings.nodeId());
        this.profiles = new DialogProfiles(settings.profilesWithValue(), settings.profilesNoValue());
        this.metrics = new DialogMetrics(registry, trackers, profiles);
    }

    /**
     * The tracker of one shard.
     *
     * @param shard     the single-threaded executor that owns the shard's calls
     * @param timer     the process's timer wheel
     * @param identity  recognises our own Record-Route entries in responses
     * @param nanoClock monotonic time in ns ({@code System::nanoTime}; a manual clock in tests)
     */
    public DialogTracker newTracker(Executor shard, Timer timer, LocalIdentity identity, LongSupplier nanoClock) {
        DialogTracker tracker = new DialogTracker(this, shard, timer, identity, nanoClock);
        trackers.add(tracker);
        return tracker;
    }

    /**
     * Where the durable state of dialogs goes ({@link DialogPersistence}); {@link DurableChanges#NONE}
     * until set. Set once at start, before traffic.
     */
    public void useDurableChanges(DurableChanges changes) {
        this.durable = Objects.requireNonNull(changes, "changes");
    }

    DurableChanges durable() {
        return durable;
    }

    /**
     * Rebuilds stored dialogs at start, before traffic: each in the tracker {@code trackerOf} names
     * for its Call-ID (the shard that owns it), on that tracker's shard. Completes with the number
     * restored (a did already present is skipped).
     */
    public CompletableFuture<Integer> restore(List<DialogRecord> records, Function<String, DialogTracker> trackerOf,
                                              long nowMillis) {
        for (DialogRecord r : records) {
            long seq = cookies.parse(r.id());
            if (seq > 0) {
                cookies.atLeast(seq);     // new dids of this run never reuse a restored one
            }
        }
        Map<DialogTracker, List<DialogRecord>> byTracker = new IdentityHashMap<>();
        for (DialogRecord r : records) {
            byTracker.computeIfAbsent(trackerOf.apply(r.callId()), t -> new ArrayList<>()).add(r);
        }
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        byTracker.forEach((tracker, mine) -> parts.add(onShard(tracker, () -> {
            int n = 0;
            for (DialogRecord r : mine) {
                if (tracker.restore(r, nowMillis) != null) {
                    n++;
                }
            }
            return n;
        })));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }

    /** Fails at start-up when a route names a profile that is not declared, or misses a value. */
    public void checkOptions(DialogOptions options, String where) {
        for (int i = 0; i < options.profiles().size(); i++) {
            ProfileRule rule = options.profiles().get(i);
            String entry = where + ": profiles[" + i + "]: dialog profile '" + rule.name() + "'";
            DialogProfile p = profiles.get(rule.name());
            if (p == null) {
                throw new IllegalArgumentException(entry + " is not declared in sipedge.dialog.profiles");
            }
            if (p.withValue() && rule.value() == null) {
                throw new IllegalArgumentException(entry + " needs a value");
            }
            if (!p.withValue() && rule.value() != null) {
                throw new IllegalArgumentException(entry + " takes no value");
            }
        }
    }

    /** Registers a listener for every dialog. */
    public void addListener(DialogListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Replaces the policy that decides which initial INVITEs get a dialog (default: the routes' blocks). */
    public void setPolicy(DialogPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public DialogPolicy policy() {
        return policy;
    }

    public DialogSettings settings() {
        return settings;
    }

    public DialogProfiles profiles() {
        return profiles;
    }

    public List<DialogTracker> trackers() {
        return List.copyOf(trackers);
    }

    /** Answered, not ended dialogs over all shards (the {@code sipedge_dialogs_active} gauge). */
    public long activeCount() {
        return trackers.stream().mapToLong(t -> t.table().active()).sum();
    }

    /** Early dialogs over all shards. */
    public long earlyCount() {
        return trackers.stream().mapToLong(t -> t.table().early()).sum();
    }

    /** Dialogs in the tables over all shards, ended ones in their delete delay included. */
    public long size() {
        return trackers.stream().mapToLong(DialogTracker::size).sum();
    }

    /**
     * Ends the dialog with this id, or every dialog of this Call-ID (OpenSIPS {@code dlg_end_dlg}):
     * BYE to both legs when confirmed, CANCEL toward the callee when early. Safe from any thread;
     * completes with the number of dialogs that were ended (0: none found, or all over already).
     * The future completes on a shard thread: never {@code join()} it from a SIP thread.
     */
    public CompletableFuture<Integer> end(String idOrCallId) {
        return end(idOrCallId, OperatorEnd.DEFAULT);
    }

    /**
     * As {@link #end(String)}, the BYEs with the operator's Reason and extra headers. Completes
     * once the BYEs (or the CANCEL) are sent.
     */
    public CompletableFuture<Integer> end(String idOrCallId, OperatorEnd how) {
        Objects.requireNonNull(how, "how");
        long sequence = sequenceOf(idOrCallId);
        return onEveryShard(tracker -> {
            List<Dialog> found = new ArrayList<>(1);
            Dialog byId = sequence < 0 ? null : tracker.find(idOrCallId);
            if (byId != null) {
                found.add(byId);
            } else {
                found.addAll(tracker.findByCallId(idOrCallId));
            }
            return found;
        }, how);
    }

    /**
     * Copies of the dialogs {@code filter} selects, each taken on its own shard, in creation order.
     * Safe from any thread; completes on a shard thread.
     */
    public CompletableFuture<List<DialogSnapshot>> list(DialogFilter filter) {
        long sequence = filter.idOrCallId().map(this::sequenceOf).orElse(-1L);
        List<CompletableFuture<List<DialogSnapshot>>> parts = new ArrayList<>();
        for (DialogTracker tracker : trackers) {
            parts.add(onShard(tracker, () -> {
                List<DialogSnapshot> mine = new ArrayList<>();
                for (Dialog d : tracker.dialogs()) {
                    if (filter.matches(d, sequence)) {
                        mine.add(DialogSnapshot.of(d, tracker.timeLeft(d)));
                    }
                }
                return mine;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<DialogSnapshot> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            all.sort(Comparator.comparingLong(DialogSnapshot::sequence));
            return all;
        });
    }

    /**
     * Applies {@code patch} to the live dialog with this id (or the first live one of this Call-ID)
     * on its shard; completes with its copy afterwards, empty when there is none (or it has ended).
     */
    public CompletableFuture<Optional<DialogSnapshot>> patch(String idOrCallId, DialogPatch patch) {
        Objects.requireNonNull(patch, "patch");
        long sequence = sequenceOf(idOrCallId);
        List<CompletableFuture<Optional<DialogSnapshot>>> parts = new ArrayList<>();
        for (DialogTracker tracker : trackers) {
            parts.add(onShard(tracker, () -> {
                Dialog d = sequence < 0 ? null : tracker.find(idOrCallId);
                if (d == null) {
                    d = tracker.findByCallId(idOrCallId).stream()
                            .filter(x -> x.state() != DialogState.ENDED)
                            .min(Comparator.comparingLong(x -> x.sequence)).orElse(null);
                }
                if (d == null || d.state() == DialogState.ENDED) {
                    return Optional.empty();
                }
                patch.applyTo(d);
                return Optional.of(DialogSnapshot.of(d, tracker.timeLeft(d)));
            }));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> parts.stream()
                .map(CompletableFuture::join).flatMap(Optional::stream).findFirst());
    }

    /**
     * Ends every dialog of {@code profile} (only those under {@code value} when it is not null),
     * as OpenSIPS's {@code profile_end_dlgs}. Completes with the number ended.
     *
     * @throws IllegalArgumentException for an undeclared profile
     */
    public CompletableFuture<Integer> endProfile(String profile, String value) {
        DialogProfile p = profiles.get(profile);
        if (p == null) {
            throw new IllegalArgumentException("no dialog profile named " + profile);
        }
        Set<Dialog> members = Collections.newSetFromMap(new IdentityHashMap<>());
        members.addAll(p.dialogs(value));
        return onEveryShard(tracker -> {
            List<Dialog> mine = new ArrayList<>();
            for (Dialog d : members) {
                if (d.home() == tracker.home()) {
                    mine.add(d);
                }
            }
            return mine;
        }, OperatorEnd.DEFAULT);
    }

    /** Runs {@code pick} on each shard and terminates what it picks there; sums the dialogs ended. */
    private CompletableFuture<Integer> onEveryShard(Function<DialogTracker, List<Dialog>> pick, OperatorEnd how) {
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        for (DialogTracker tracker : trackers) {
            parts.add(onShard(tracker, () -> {
                int ended = 0;
                for (Dialog d : pick.apply(tracker)) {
                    if (tracker.terminate(d, how)) {
                        ended++;
                    }
                }
                return ended;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }

    /** Runs {@code work} on {@code tracker}'s shard; the future completes there. */
    private static <T> CompletableFuture<T> onShard(DialogTracker tracker, Supplier<T> work) {
        CompletableFuture<T> part = new CompletableFuture<>();
        try {
            tracker.executor().execute(() -> {
                try {
                    part.complete(work.get());
                } catch (RuntimeException e) {
                    part.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            part.completeExceptionally(e);     // a shard that shuts down refuses the task
        }
        return part;
    }

    List<DialogListener> listeners() {
        return listeners;
    }

    long nextSequence() {
        return cookies.next();
    }

    /** The did text of a dialog sequence. */
    String didOf(long sequence) {
        return cookies.format(sequence);
    }

    /** The sequence a did of this run names, or -1. */
    long sequenceOf(String did) {
        return cookies.parse(did);
    }

    DidCookie cookies() {
        return cookies;
    }

    DialogMetrics metrics() {
        return metrics;
    }
}
