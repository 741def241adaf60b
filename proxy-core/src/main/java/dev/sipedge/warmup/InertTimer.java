package dev.sipedge.warmup;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A timer that accepts tasks and never runs them: the warm-up's calls complete without any
 * retransmission or timeout, and its transactions are dropped with the throwaway pipeline.
 */
final class InertTimer implements Timer {

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        return new Timeout() {
            private boolean cancelled;

            @Override
            public Timer timer() {
                return InertTimer.this;
            }

            @Override
            public TimerTask task() {
                return task;
            }

            @Override
            public boolean isExpired() {
                return false;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public boolean cancel() {
                cancelled = true;
                return true;
            }
        };
    }

    @Override
    public Set<Timeout> stop() {
        return Set.of();
    }
}
