package dev.drawbridge.broker.engine.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the store from one thread, in groups. Every change to the store is counted; {@link #saved()} answers when
 * every change counted so far is on disk. In {@code durable} mode a waiting acknowledgement wakes the thread, which
 * commits and syncs once for everything that waits (group commit). In {@code autosave} mode nothing waits and the
 * store is committed every {@code autosave_interval}, as Mosquitto saves its database: a crash loses at most that.
 *
 * <p>A change that could not be made ({@link #failed}) or a commit that failed makes {@link #saved()} fail, in either
 * mode, until a commit that starts at least a second after it succeeds; meanwhile a commit is tried every second. Shared by both
 * engines' stores; thread-safe.
 */
public final class StoreCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCommitter.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Changes without a waiting acknowledgement (subscribers' PUBACKs, session ends) are saved this often. */
    private static final long IDLE_SAVE_MILLIS = 1000;

    private record Waiter(long change, CompletableFuture<Void> done) {}

    /**
     * A change or commit that failed; it holds until a commit covering {@code change} succeeds, and for a grace period
     * at least: the writer that failed may not have called {@link #saved()} yet, and a commit in between must not clear
     * the failure before it sees it.
     */
    private record Failure(long change, RuntimeException cause, long atNanos) {}

    private static final long FAILURE_GRACE_MILLIS = 1000;
    private static final long FAILURE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(FAILURE_GRACE_MILLIS);

    private static final long COMPACTION_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int TARGET_FILL_RATE = 50;
    private static final int COMPACTION_WRITE_BYTES = 16 << 20;

    private long lastCompaction = System.nanoTime();
    private final @Nullable MVStore store;
    private final boolean durable;
    private final long intervalMillis;
    private final AtomicLong changes = new AtomicLong();
    private volatile long saved;
    private final AtomicReference<@Nullable Failure> failure = new AtomicReference<>();
    private final Object lock = new Object();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean closing;
    private final @Nullable Thread thread;

    /** Starts the committing thread; {@code autosaveInterval} (0: only at close) counts unless {@code durable}. */
    public StoreCommitter(MVStore store, boolean durable, Duration autosaveInterval) {
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
    public static StoreCommitter none() {
        return new StoreCommitter();
    }

    /** Counts one change; call it after the change is made. */
    public void changed() {
        changes.incrementAndGet();
    }

    /**
     * A change could not be made (the caller has logged why): {@link #saved()} fails until a commit that starts after
     * this call succeeds, so that no acknowledgement leaves for it. Never throws.
     */
    public void failed(RuntimeException cause) {
        failure.set(new Failure(changes.incrementAndGet(), cause, System.nanoTime()));
    }

    /**
     * Completes when every change counted before this call is durable; at once in {@code autosave} mode; exceptionally
     * while a failure holds.
     */
    public CompletableFuture<Void> saved() {
        Failure failed = failure.get();
        if (failed != null) {
            return CompletableFuture.failedFuture(failed.cause());
        }
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
        long lastSave = System.nanoTime();
        while (true) {
            synchronized (lock) {
                if (waiters.isEmpty() && !closing) {
                    try {
                        // Wakes at least every second: a failure is retried then, whatever the mode.
                        lock.wait(
                                intervalMillis == 0
                                        ? FAILURE_GRACE_MILLIS
                                        : Math.min(intervalMillis, FAILURE_GRACE_MILLIS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closing) {
                    return;
                }
                if (!due(lastSave)) {
                    continue;
                }
            }
            lastSave = System.nanoTime();
            List<Waiter> ready = new ArrayList<>();
            RuntimeException error = null;
            try {
                save(false);
            } catch (RuntimeException e) {
                error = e;
                failure.set(new Failure(changes.get(), e, System.nanoTime()));
                LOG.error("Saving the message store failed: {}. Acknowledgements wait until it works.", e.toString());
            }
            synchronized (lock) {
                if (error != null) {
                    ready.addAll(waiters);
                    waiters.clear();
                } else {
                    waiters.removeIf(w -> w.change() <= saved && ready.add(w));
                }
            }
            for (Waiter w : ready) {
                if (error == null) {
                    w.done().complete(null);
                } else {
                    w.done().completeExceptionally(error);
                }
            }
            if (error != null) {
                pause();
            }
        }
    }

    /** Whether to commit now; called holding the lock. */
    private boolean due(long lastSave) {
        long now = System.nanoTime();
        Failure failed = failure.get();
        return !waiters.isEmpty()
                || (failed != null && now - failed.atNanos() >= FAILURE_GRACE_NANOS)
                || (intervalMillis > 0 && now - lastSave >= TimeUnit.MILLISECONDS.toNanos(intervalMillis));
    }

    /** Commits (and syncs when durable); {@code last}: the final save, which clears a failure at once. */
    private void save(boolean last) {
        MVStore store = this.store;
        long start = System.nanoTime();
        long target = changes.get();
        Failure failed = failure.get();
        if (store == null || (target == saved && failed == null)) {
            return;
        }
        store.commit();
        if (durable) {
            store.sync();
        }
        saved = target;
        if (failed != null
                && failed.change() <= target
                && (last || start - failed.atNanos() >= FAILURE_GRACE_NANOS)
                && failure.compareAndSet(failed, null)) {
            LOG.info("The message store is saved again.");
        }
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
    public void abandon() {
        stopThread();
    }

    /** Stops the thread and saves what is left; the store itself is closed by its owner. */
    @Override
    public void close() {
        List<Waiter> left = stopThread();
        save(true);
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
