package dev.drawbridge.broker.moquette.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the store from one thread, in groups. Every change to the store is counted; {@link #saved()} answers when
 * every change counted so far is on disk. In {@code durable} mode a waiting acknowledgement wakes the thread, which
 * commits and syncs once for everything that waits (group commit). In {@code autosave} mode nothing waits and the
 * store is committed every {@code autosave_interval}, as Mosquitto saves its database: a crash loses at most that.
 */
final class StoreCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCommitter.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Changes without a waiting acknowledgement (subscribers' PUBACKs, session ends) are saved this often. */
    private static final long IDLE_SAVE_MILLIS = 1000;

    private record Waiter(long change, CompletableFuture<Void> done) {}

    private static final long COMPACTION_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int TARGET_FILL_RATE = 50;
    private static final int COMPACTION_WRITE_BYTES = 16 << 20;

    private long lastCompaction = System.nanoTime();
    private final @Nullable MVStore store;
    private final boolean durable;
    private final long intervalMillis;
    private final AtomicLong changes = new AtomicLong();
    private volatile long saved;
    private final Object lock = new Object();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean closing;
    private final @Nullable Thread thread;

    StoreCommitter(MVStore store, boolean durable, Duration autosaveInterval) {
        this.store = store;
        this.durable = durable;
        // autosave_interval 0: saved only when the broker stops, as Mosquitto (wait(0) waits until notified).
        this.intervalMillis = durable ? IDLE_SAVE_MILLIS : autosaveInterval.toMillis();
        Thread t = new Thread(this::run, "drawbridge-store");
        t.setDaemon(true);
        t.start();
        this.thread = t;
    }

    private StoreCommitter() {
        this.store = null;
        this.durable = false;
        this.intervalMillis = 0;
        this.thread = null;
    }

    /** For a store in memory: changes are counted, nothing is saved, nothing waits. */
    static StoreCommitter none() {
        return new StoreCommitter();
    }

    /** Counts one change; call it after the change is made. */
    void changed() {
        changes.incrementAndGet();
    }

    /** Completes when every change counted before this call is durable; at once in {@code autosave} mode. */
    CompletableFuture<Void> saved() {
        if (!durable) {
            return DONE;
        }
        long target = changes.get();
        if (saved >= target) {
            return DONE;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closing) {
                done.completeExceptionally(new IllegalStateException("the store is closing"));
                return done;
            }
            waiters.add(new Waiter(target, done));
            lock.notifyAll();
        }
        return done;
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                if (waiters.isEmpty() && !closing) {
                    try {
                        lock.wait(intervalMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closing) {
                    return;
                }
            }
            List<Waiter> ready = new ArrayList<>();
            RuntimeException failure = null;
            try {
                save();
            } catch (RuntimeException e) {
                failure = e;
                LOG.error("Saving the message store failed: {}. Acknowledgements wait until it works.", e.toString());
            }
            synchronized (lock) {
                if (failure != null) {
                    ready.addAll(waiters);
                    waiters.clear();
                } else {
                    waiters.removeIf(w -> w.change() <= saved && ready.add(w));
                }
            }
            for (Waiter w : ready) {
                if (failure == null) {
                    w.done().complete(null);
                } else {
                    w.done().completeExceptionally(failure);
                }
            }
            if (failure != null) {
                pause();
            }
        }
    }

    private void save() {
        MVStore store = this.store;
        long target = changes.get();
        if (store == null || target == saved) {
            return;
        }
        store.commit();
        if (durable) {
            store.sync();
        }
        saved = target;
        long now = System.nanoTime();
        if (now - lastCompaction > COMPACTION_PERIOD_NANOS) {
            lastCompaction = now;
            compact(store);
        }
    }

    /**
     * Rewrites the live pages of mostly empty chunks, so that the file does not grow with the message rate: with
     * auto-commit off, the MVStore does no housekeeping of its own.
     */
    private static void compact(MVStore store) {
        if (store.getChunksFillRate() < TARGET_FILL_RATE) {
            store.compact(TARGET_FILL_RATE, COMPACTION_WRITE_BYTES);
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread without saving (a simulated crash). */
    void abandon() {
        stopThread();
    }

    /** Stops the thread and saves what is left; the store itself is closed by its owner. */
    @Override
    public void close() {
        List<Waiter> left = stopThread();
        save();
        left.forEach(w -> w.done().complete(null));
    }

    /** Stops the thread; returns the acknowledgements still waiting. */
    private List<Waiter> stopThread() {
        List<Waiter> left;
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
            left = new ArrayList<>(waiters);
            waiters.clear();
        }
        try {
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return left;
    }
}
