package dev.drawbridge.broker.net;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_pending_connections_per_address}: how many sockets from one source address may be open without having
 * completed an accepted CONNECT, across every listener. A socket beyond that is closed at once, so one address cannot
 * hold the broker's sockets for the CONNECT deadline over and over. A refusal is logged at most once a minute per
 * address, so a flood does not flood the log. Shared by every connection's I/O thread: never blocks.
 */
public final class PendingConnections {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");
    private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    /** Addresses whose last logged refusal is remembered; beyond this, stale ones are forgotten first. */
    private static final int REMEMBERED_REFUSALS = 1024;

    private final int limit;
    private final LongSupplier nanoTime;
    private final Map<String, Integer> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    /**
     * @param limit the most pending sockets per address, 0 for no limit
     * @param nanoTime the clock of the log interval ({@code System::nanoTime})
     */
    public PendingConnections(int limit, LongSupplier nanoTime) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, found " + limit);
        }
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    /**
     * Counts a new socket from {@code address}. False when the address already has {@code limit} pending: then nothing
     * is counted, the refusal may have been logged, and the caller closes the socket.
     */
    boolean open(String address, String peer) {
        if (limit == 0) {
            return true;
        }
        boolean[] counted = {false};
        pending.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) {
                return n;
            }
            counted[0] = true;
            return now + 1;
        });
        if (!counted[0] && mayLog(address)) {
            LOG.info(
                    "Connection from {} refused: {} connections from {} have not completed a CONNECT"
                            + " (max_pending_connections_per_address {}); further refusals of {} are not logged for a"
                            + " minute.",
                    peer,
                    limit,
                    address,
                    limit,
                    address);
        }
        return counted[0];
    }

    /** A socket counted by {@link #open} completed an accepted CONNECT, or closed: call once per counted socket. */
    void release(String address) {
        if (limit == 0) {
            return;
        }
        pending.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Pending sockets from this address now. */
    int pending(String address) {
        return pending.getOrDefault(address, 0);
    }

    private boolean mayLog(String address) {
        long now = nanoTime.getAsLong();
        if (lastLogged.size() >= REMEMBERED_REFUSALS) {
            lastLogged.values().removeIf(at -> now - at >= LOG_INTERVAL_NANOS);
        }
        boolean[] log = {false};
        lastLogged.compute(address, (a, at) -> {
            if (at != null && now - at < LOG_INTERVAL_NANOS) {
                return at;
            }
            if (at == null && lastLogged.size() >= REMEMBERED_REFUSALS) {
                return null; // a flood from very many addresses: stay quiet rather than remember them all
            }
            log[0] = true;
            return now;
        });
        return log[0];
    }
}
