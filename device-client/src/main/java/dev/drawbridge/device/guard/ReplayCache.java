package dev.drawbridge.device.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The strict-mode ids seen lately. An id is kept for twice the maximum age: older commands are refused as stale
 * anyway. Bounded, so a flood of ids cannot grow it without end; when full the oldest go first. Not thread-safe.
 */
final class ReplayCache {

    static final int CAPACITY = 4096;

    private final Duration keep;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    ReplayCache(Duration maxAge) {
        this.keep = maxAge.multipliedBy(2);
    }

    /** Records {@code id} at {@code now}; false if it was already there. */
    boolean firstTime(String id, Instant now) {
        prune(now);
        if (seen.containsKey(id)) {
            return false;
        }
        if (seen.size() >= CAPACITY) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        seen.put(id, now);
        return true;
    }

    private void prune(Instant now) {
        Instant limit = now.minus(keep);
        seen.values().removeIf(when -> when.isBefore(limit));
    }
}
