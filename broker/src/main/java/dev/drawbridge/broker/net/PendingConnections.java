package dev.drawbridge.broker.net;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_pending_connections_per_address}: how many sockets from one source address may be open without having
 * completed an accepted CONNECT, across every listener. When a new socket would exceed it, the <em>oldest</em> pending
 * socket of that address is closed and the newcomer counted: an address cannot hold the broker's sockets for the
 * CONNECT deadline over and over, and a real client behind the same address (NAT, Docker's port proxy) still gets in.
 * A socket stops counting the moment it completes a CONNECT or closes. Closes are logged at most once a minute per
 * address, so a flood does not flood the log. Shared by every connection's I/O thread: never blocks for long.
 */
public final class PendingConnections {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");
    private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    /** Addresses whose last logged close is remembered; beyond this, stale ones are forgotten first. */
    private static final int REMEMBERED_REFUSALS = 1024;

    /** One counted socket: what {@link #open} returns and {@link #release} takes back. */
    public static final class Ticket {
        private final String address;
        private final String peer;
        private final Runnable close;
        /**
         * Set once, by whichever comes first: its CONNECT accepted ({@link #release}) or its close as the oldest. The
         * two run on different I/O threads; without this, a socket whose CONNECT was accepted a moment before a newer
         * socket of its address chose it as the oldest would be closed after its CONNACK.
         */
        private final AtomicBoolean settled = new AtomicBoolean();

        private Ticket(String address, String peer, Runnable close) {
            this.address = address;
            this.peer = peer;
            this.close = close;
        }
    }

    private final int limit;
    private final LongSupplier nanoTime;
    private final Map<String, ArrayDeque<Ticket>> pending = new ConcurrentHashMap<>();
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

    /** Whether there is a limit at all: without one nothing is counted, and a new socket need not name its address. */
    boolean limited() {
        return limit > 0;
    }

    /**
     * Counts a new socket from {@code address}; when the address already has {@code limit} pending, the oldest of them
     * is closed (with {@code close} as it gave it) and stops counting. Null when there is no limit.
     */
    @Nullable
    Ticket open(String address, String peer, Runnable close) {
        if (limit == 0) {
            return null;
        }
        Ticket ticket = new Ticket(address, peer, close);
        Ticket[] evicted = {null};
        pending.compute(address, (a, queue) -> {
            ArrayDeque<Ticket> q = queue == null ? new ArrayDeque<>() : queue;
            if (q.size() >= limit) {
                evicted[0] = q.pollFirst();
            }
            q.addLast(ticket);
            return q;
        });
        Ticket oldest = evicted[0];
        if (oldest != null && oldest.settled.compareAndSet(false, true)) {
            if (mayLog(address)) {
                LOG.info(
                        "Connection from {} closed: {} connections from {} have not completed a CONNECT"
                                + " (max_pending_connections_per_address {}), and it is the oldest; further such"
                                + " closes for {} are not logged for a minute.",
                        oldest.peer,
                        limit,
                        address,
                        limit,
                        address);
            }
            oldest.close.run();
        }
        return ticket;
    }

    /**
     * A socket counted by {@link #open} completed an accepted CONNECT, or closed; a second release does nothing.
     *
     * @return false when the socket was chosen as the oldest and its close is under way: a CONNECT accepted now must
     *     not be answered
     */
    boolean release(@Nullable Ticket ticket) {
        if (ticket == null) {
            return true;
        }
        boolean stillOpen = ticket.settled.compareAndSet(false, true);
        pending.computeIfPresent(ticket.address, (a, q) -> {
            q.remove(ticket);
            return q.isEmpty() ? null : q;
        });
        return stillOpen;
    }

    /** Pending sockets from this address now. */
    public int pending(String address) {
        int[] count = {0};
        pending.computeIfPresent(address, (a, q) -> {
            count[0] = q.size();
            return q;
        });
        return count[0];
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
