package dev.sipedge.dialog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.sipedge.transaction.RecordingTransport;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.address.SipURI;
import org.slf4j.LoggerFactory;

/**
 * Shards on their own threads sharing one module, one timer and two profiles, plus a global
 * listener that checks on every dialog event that it runs on the dialog's own shard and that no
 * profile is over its cap. Work reaches a shard only through {@link #run} (exceptions are kept for
 * the test) and the test waits with {@link #drain}, never by sleeping.
 */
final class StressFixture implements AutoCloseable {
    static final String TRUNK = "trunk";
    static final String ALL = "all";
    private static final long WAIT_SECONDS = 20;

    final StressTimer timer = new StressTimer();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DialogModule module;
    final List<StressShard> shards = new ArrayList<>();
    final List<RecordingTransport> wires = new ArrayList<>();
    private final List<DefaultEventExecutor> executors = new ArrayList<>();
    private final int trunkCap;
    private final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final AppenderBase<ILoggingEvent> warnings = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                problems.add("logged " + e.getLevel() + " by " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getMessage()));
            }
        }
    };
    private final int allCap;

    /** Failures of shard tasks and listener checks; must stay empty. */
    final Queue<String> problems = new ConcurrentLinkedQueue<>();
    /** Dialog events seen by the global listener, by name. */
    final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    /** The end cause of every destroyed dialog, by Call-ID. */
    final Map<String, EndCause> endCauses = new ConcurrentHashMap<>();

    /**
     * @param trunkCap cap of profile {@code trunk} per value (the caller's user)
     * @param allCap   cap of profile {@code all} (no value)
     * @param lifetime every dialog's lifetime
     * @param deleteDelay how long ended dialogs stay in the tables
     */
    StressFixture(int shardCount, int trunkCap, int allCap, Duration lifetime, Duration deleteDelay) {
        this.trunkCap = trunkCap;
        this.allCap = allCap;
        // The layer and the listeners contain exceptions by logging them: a logged warning is a failure here.
        warnings.start();
        rootLogger.addAppender(warnings);
        DialogSettings settings = DialogSettings.defaults().withProfiles(List.of(TRUNK), List.of(ALL))
                .withTimeouts(Duration.ofHours(12), true, deleteDelay);
        module = new DialogModule(settings, registry);
        module.addListener(new Checks());
        // "all" first: a call the trunk cap refuses must leave "all" again (rolled back under contention).
        DialogOptions options = DialogOptions.TRACK.withTimeout(lifetime).withProfiles(List.of(
                new ProfileRule(ALL, null, allCap, 503),
                new ProfileRule(TRUNK, ValueTemplate.parse("${from.user}"), trunkCap, 503)));
        module.checkOptions(options, "stress route");
        for (int i = 0; i < shardCount; i++) {
            DefaultEventExecutor executor = new DefaultEventExecutor();
            RecordingTransport wire = new RecordingTransport();
            executors.add(executor);
            wires.add(wire);
            shards.add(new StressShard(i, executor, timer, module, wire, invite -> options,
                    () -> StressCall.FROM_UAS));
        }
    }

    /** The shard that owns {@code callId}, as the transport's dispatcher picks it. */
    StressShard shardOf(String callId) {
        return shards.get(Math.floorMod(callId.hashCode(), shards.size()));
    }

    DialogProfile profile(String name) {
        return module.profiles().get(name);
    }

    /** Hands {@code task} to {@code shard}; a throw is recorded in {@link #problems}. */
    void run(StressShard shard, Runnable task) {
        shard.executor.execute(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                problems.add("shard " + shard.index + " task failed: " + e);
            }
        });
    }

    /** Runs {@code task} on {@code shard} and waits (bounded) for its result. */
    <T> T onShard(StressShard shard, Callable<T> task) throws Exception {
        return executors.get(shard.index).submit(task).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits until every task handed to any shard so far has run (each shard runs them in order). */
    void drain() throws Exception {
        for (StressShard shard : shards) {
            onShard(shard, () -> null);
        }
    }

    /** Moves the shared clock (timer tasks run here and hand their work to the shards), then drains. */
    void advance(Duration step) throws Exception {
        timer.advance(step);
        drain();
    }

    long count(String event) {
        LongAdder n = events.get(event);
        return n == null ? 0 : n.sum();
    }

    double counter(String name) {
        return registry.get(name).counter().count();
    }

    double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Override
    public void close() {
        rootLogger.detachAppender(warnings);
        for (DefaultEventExecutor executor : executors) {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Confinement and cap checks on every event; counts the events. */
    private final class Checks implements DialogListener {
        private void seen(Dialog d, String event) {
            events.computeIfAbsent(event, e -> new LongAdder()).increment();
            StressShard owner = shardOf(d.callId());
            if (!((EventExecutor) owner.executor).inEventLoop() || d.executor() != owner.executor) {
                problems.add(event + " of " + d.callId() + " (shard " + owner.index + ") ran on "
                        + Thread.currentThread().getName());
            }
        }

        @Override
        public void onCreated(Dialog d, SIPRequest invite) {
            seen(d, "created");
            String user = ((SipURI) invite.getFrom().getAddress().getURI()).getUser();
            int trunk = profile(TRUNK).size(user);
            int all = profile(ALL).size();
            if (trunk > trunkCap || all > allCap) {
                problems.add("cap exceeded at creation of " + d.callId() + ": trunk " + user + "=" + trunk
                        + ", all=" + all);
            }
            if (!d.isInProfile(TRUNK, user) || !d.isInProfile(ALL, null)) {
                problems.add("created dialog " + d.callId() + " is not in its profiles");
            }
        }

        @Override
        public void onEarly(Dialog d, SIPResponse provisional) {
            seen(d, "early");
        }

        @Override
        public void onAnswered(Dialog d, SIPResponse success) {
            seen(d, "answered");
        }

        @Override
        public void onConfirmed(Dialog d, SIPRequest ack) {
            seen(d, "confirmed");
        }

        @Override
        public void onFailed(Dialog d, SIPResponse response) {
            seen(d, "failed");
        }

        @Override
        public void onRequestWithin(Dialog d, SIPRequest request, Direction direction) {
            seen(d, "requestWithin");
        }

        @Override
        public void onResponseForwarded(Dialog d, SIPResponse response) {
            seen(d, "responseForwarded");
        }

        @Override
        public void onResponseWithin(Dialog d, SIPResponse response) {
            seen(d, "responseWithin");
        }

        @Override
        public void onTerminated(Dialog d, SIPRequest bye) {
            seen(d, "terminated");
        }

        @Override
        public void onExpired(Dialog d) {
            seen(d, "expired");
        }

        @Override
        public void onSpiraled(Dialog d, SIPRequest invite) {
            seen(d, "spiraled");
        }

        @Override
        public void onDestroyed(Dialog d) {
            seen(d, "destroyed");
            if (profile(TRUNK).isIn(d) || profile(ALL).isIn(d)) {
                problems.add("destroyed dialog " + d.callId() + " is still in a profile");
            }
            if (endCauses.put(d.callId(), d.endCause()) != null) {
                problems.add("dialog " + d.callId() + " destroyed twice");
            }
        }
    }
}
