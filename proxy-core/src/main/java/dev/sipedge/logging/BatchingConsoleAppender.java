package dev.sipedge.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The appender of the loggers that log per call or per message (end-of-call records, SIP trace):
 * the calling thread (an event loop) only queues the event; a worker thread waits up to
 * {@value #LINGER_MILLIS} ms for others to join it, then encodes them all and writes them to
 * standard output in one write.
 *
 * <p>Why not Logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}: that pair
 * writes and flushes every event on its own, and {@code System.out} flushes each write, so every
 * record cost a {@code write(2)} and a wake-up of the worker (counted: 5,000 calls, 5,000 writes;
 * the worker 34-37 µs of CPU per call on the bench machine, where each kernel entry is dear).
 * Here 5,000 records at 500 calls/s left in 402 writes, and a lone record leaves within 100 ms.
 *
 * <p>Why {@value #LINGER_MILLIS} ms: each gathering costs the worker two wake-ups (the first event,
 * the end of the linger), and on a virtual machine a wake-up is dear. With 20 ms, at 1,000 calls/s
 * the worker spent 11.5-15.5 µs of CPU per call, about 40 % of it in those wake-ups (async-profiler,
 * docs/performance.md eighteenth session). A log line a tenth of a second late costs nobody.
 *
 * <p>Never blocks the caller: when the queue is full the event is dropped and counted (a status
 * warning on the first drop and every 1,000th). {@link #stop()} writes whatever is queued, so the
 * last records of a graceful stop are not lost.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Events written per write at most, and bytes after which a batch is written early. */
    static final int MAX_BATCH = 1024;
    static final int MAX_BATCH_BYTES = 64 * 1024;
    /** How long the worker waits after an event for others to join it (the delay a record may see). */
    static final long LINGER_MILLIS = 100;

    private final OutputStream out;
    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 8192;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread worker;
    private final AtomicLong dropped = new AtomicLong();
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(8192);

    public BatchingConsoleAppender() {
        this(System.out);
    }

    BatchingConsoleAppender(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public Encoder<ILoggingEvent> getEncoder() {
        return encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getQueueSize() {
        return queueSize;
    }

    /** Events dropped because the queue was full, since the start. */
    public long droppedEvents() {
        return dropped.get();
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        if (queueSize < 1) {
            addError("queueSize must be positive, was " + queueSize);
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        worker = new Thread(this::drainUntilInterrupted, "log-writer-" + name);
        worker.setDaemon(true);   // a JVM that exits without stopping Logback must not wait for it
        super.start();
        worker.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // the worker formats later: fix the thread name, message arguments and key-value pairs now
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                addWarn(name + ": queue of " + queueSize + " full, " + n + " events dropped so far");
            }
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();   // append() refuses new events from here on
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!worker.isAlive()) {
            writeQueued();   // what arrived while the worker stopped
        }
    }

    private void drainUntilInterrupted() {
        List<ILoggingEvent> events = new ArrayList<>(MAX_BATCH);
        boolean interrupted = false;
        while (!interrupted) {
            try {
                events.add(queue.take());
                if (queue.size() < MAX_BATCH) {
                    // let a busy moment's events gather: one wake-up and one write for all of them
                    Thread.sleep(LINGER_MILLIS);
                }
            } catch (InterruptedException e) {
                interrupted = true;   // stop(): write what was taken, then end
            }
            queue.drainTo(events, MAX_BATCH - events.size());
            write(events);
            events.clear();
        }
    }

    private void writeQueued() {
        List<ILoggingEvent> events = new ArrayList<>(MAX_BATCH);
        while (queue.drainTo(events, MAX_BATCH) > 0) {
            write(events);
            events.clear();
        }
    }

    private void write(List<ILoggingEvent> events) {
        for (ILoggingEvent event : events) {
            try {
                batch.writeBytes(encoder.encode(event));
            } catch (RuntimeException e) {
                addError(name + ": could not encode an event", e);
            }
            if (batch.size() >= MAX_BATCH_BYTES) {
                flushBatch();
            }
        }
        flushBatch();
    }

    private void flushBatch() {
        if (batch.size() == 0) {
            return;
        }
        try {
            batch.writeTo(out);
            out.flush();
        } catch (IOException e) {
            addError(name + ": write to the console failed", e);
        } finally {
            batch.reset();
        }
    }
}
