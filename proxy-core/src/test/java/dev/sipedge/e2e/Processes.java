package dev.sipedge.e2e;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stops a child process this test started, through its own handle (never by name). */
final class Processes {

    private Processes() {
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL the process and whatever it forked. */
    static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
