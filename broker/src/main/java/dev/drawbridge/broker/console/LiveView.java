package dev.drawbridge.broker.console;

import dev.drawbridge.broker.engine.watch.TopicWatch;
import dev.drawbridge.broker.engine.watch.WatchedMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One console session's live view of a topic filter: the last {@link #CAPACITY} messages its in-process subscription
 * was sent, numbered, for the page to poll. A browser that polls too slowly loses the oldest ones, counted; the
 * broker never waits for it.
 */
final class LiveView implements TopicWatch.Listener {

    static final int CAPACITY = 200;

    /** A message as the view keeps it: its number and when it came. */
    record Seen(long seq, Instant at, WatchedMessage message) {}

    /**
     * What a poll answers.
     *
     * @param state {@code subscribing}, {@code live}, {@code refused} (a plugin refused the filter) or {@code ended}
     * @param dropped messages that left the view before any poll fetched them, since it started
     */
    record Poll(String filter, String state, long dropped, List<Seen> messages) {}

    private final String filter;
    private final Clock clock;
    private final ArrayDeque<Seen> kept = new ArrayDeque<>(CAPACITY);
    private long next = 1;
    private long fetched;
    private long dropped;
    private String state = "subscribing";
    private volatile Instant lastPoll;

    LiveView(String filter, Clock clock) {
        this.filter = filter;
        this.clock = clock;
        this.lastPoll = clock.instant();
    }

    String filter() {
        return filter;
    }

    Instant lastPoll() {
        return lastPoll;
    }

    @Override
    public synchronized void message(WatchedMessage message) {
        if (kept.size() == CAPACITY) {
            Seen oldest = kept.poll();
            if (oldest != null && oldest.seq() > fetched) {
                dropped++;
            }
        }
        kept.add(new Seen(next++, clock.instant(), message));
    }

    @Override
    public synchronized void subscribed(boolean granted) {
        state = granted ? "live" : "refused";
    }

    @Override
    public synchronized void ended() {
        state = "ended";
    }

    /** The messages numbered after {@code after}, oldest first. */
    synchronized Poll poll(long after) {
        lastPoll = clock.instant();
        List<Seen> newer = new ArrayList<>();
        for (Seen s : kept) {
            if (s.seq() > after) {
                newer.add(s);
            }
        }
        fetched = Math.max(fetched, next - 1);
        return new Poll(filter, state, dropped, newer);
    }
}
