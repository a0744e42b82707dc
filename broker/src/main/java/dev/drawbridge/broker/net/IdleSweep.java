package dev.drawbridge.broker.net;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One I/O thread's keepalive and CONNECT deadline timer: every {@value #PERIOD_MILLIS} ms it closes the connections of
 * that thread whose {@link IdleCloser} has expired (no accepted CONNECT 10 s after opening, or silent for 1.5 times the
 * keepalive). One task per thread instead of a scheduled task and an idle handler per connection (about 190 bytes of
 * heap each, and a cancel and a schedule at every CONNECT); a connection is closed at most one period after its limit,
 * never before it. Event loop only: the list is touched by its own thread.
 */
final class IdleSweep implements Runnable {

    static final long PERIOD_MILLIS = 500;

    private final LongSupplier clock;
    /** The connections watched, most recently added first; linked through the closers themselves. */
    private @Nullable IdleCloser first;

    IdleSweep(EventExecutor loop) {
        this(loop, System::nanoTime);
    }

    /** With a {@link System#nanoTime()}-like clock of its own, for tests. */
    IdleSweep(EventExecutor loop, LongSupplier clock) {
        this.clock = clock;
        loop.scheduleAtFixedRate(this, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    long now() {
        return clock.getAsLong();
    }

    void add(IdleCloser closer) {
        if (closer.listed) {
            return;
        }
        closer.listed = true;
        closer.previous = null;
        closer.next = first;
        if (first != null) {
            first.previous = closer;
        }
        first = closer;
    }

    void remove(IdleCloser closer) {
        if (!closer.listed) {
            return;
        }
        closer.listed = false;
        IdleCloser previous = closer.previous;
        IdleCloser next = closer.next;
        if (previous == null) {
            first = next;
        } else {
            previous.next = next;
        }
        if (next != null) {
            next.previous = previous;
        }
        closer.previous = null;
        closer.next = null;
    }

    /** Closes the connections that are idle now. */
    @Override
    public void run() {
        long now = clock.getAsLong();
        List<IdleCloser> expired = null;
        for (IdleCloser closer = first; closer != null; closer = closer.next) {
            if (closer.expired(now)) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(closer);
            }
        }
        if (expired == null) {
            return;
        }
        // Closed after the walk: a close runs the engine's close path, which must not change the list being walked.
        for (IdleCloser closer : expired) {
            remove(closer);
            closer.closeIdle();
        }
    }
}
