package dev.drawbridge.broker.console;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.topic.SharedFilter;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import dev.drawbridge.broker.engine.watch.TopicWatch;
import dev.drawbridge.broker.security.ConsoleReader;
import io.netty.util.concurrent.EventExecutor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live views of the console's sessions, at most one each: each an in-process subscription ({@link TopicWatch})
 * registered with the security package as its user, so the engine's own READ check decides what it is sent. A view
 * ends when its session starts another, logs out or ends, and when its page has not polled for its unpolled time
 * ({@link #UNPOLLED}, a minute).
 */
final class LiveViews implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveViews.class);

    /** A view nobody polled for this long is closed (its page was closed or lost its network). */
    static final Duration UNPOLLED = Duration.ofSeconds(60);

    private final Duration unpolled;

    /** A running view: what it keeps, its subscription and its place in the READ check. */
    private record Running(LiveView view, TopicWatch watch, AutoCloseable registration, String watchId) {}

    private final Map<String, Running> bySession = new ConcurrentHashMap<>();
    private final Engine engine;
    private final EventExecutor executor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param unpolled how long a view may go without a poll: {@link #UNPOLLED}, shorter only in tests */
    LiveViews(Engine engine, EventExecutor executor, Clock clock, Duration unpolled) {
        this.engine = engine;
        this.executor = executor;
        this.clock = clock;
        this.unpolled = unpolled;
    }

    /** Why {@code filter} cannot be watched, or null. */
    static @Nullable String filterError(String filter) {
        if (filter.isEmpty()) {
            return "the topic filter is empty; expected a filter such as home/# or home/+/temperature";
        }
        if (SharedFilter.isShared(filter)) {
            return "a live view cannot use a shared subscription ($share/...): it would take messages from that"
                    + " group's subscribers";
        }
        String error = TopicFilters.filterError(filter);
        return error == null ? null : "not a valid topic filter: " + error;
    }

    /** Starts (or replaces) the session's view of {@code filter}; the filter has passed {@link #filterError}. */
    void start(String sessionId, ConsoleReader reader, String filter) {
        stop(sessionId);
        String watchId = "drawbridge-console-" + HexFormat.of().formatHex(randomBytes());
        LiveView view = new LiveView(filter, clock);
        AutoCloseable registration = reader.watching(watchId);
        TopicWatch watch = engine.watch(watchId, filter, executor, TopicTree.PREVIEW_BYTES, view);
        Running previous = bySession.put(sessionId, new Running(view, watch, registration, watchId));
        if (previous != null) {
            close(previous); // two starts at once: the later one stays
        }
        LOG.info("Console user {} watches {} ({}).", reader.user(), filter, watchId);
    }

    Optional<LiveView.Poll> poll(String sessionId, long after) {
        Running running = bySession.get(sessionId);
        return running == null ? Optional.empty() : Optional.of(running.view().poll(after));
    }

    void stop(String sessionId) {
        Running running = bySession.remove(sessionId);
        if (running != null) {
            close(running);
        }
    }

    /** Closes the views whose session is over, or that no page polled for longer than the unpolled time. */
    void sweep(Predicate<String> sessionLive) {
        var now = clock.instant();
        bySession.forEach((id, running) -> {
            if (!sessionLive.test(id)
                    || running.view().lastPoll().plus(unpolled).isBefore(now)) {
                if (bySession.remove(id, running)) {
                    close(running);
                }
            }
        });
    }

    int size() {
        return bySession.size();
    }

    @Override
    public void close() {
        bySession.keySet().forEach(this::stop);
    }

    private void close(Running running) {
        running.watch().close();
        // The registration goes after the session has ended, on the same executor: no delivery outlives its check.
        try {
            executor.execute(() -> unregister(running));
        } catch (RejectedExecutionException e) {
            unregister(running); // the console is stopping
        }
        LOG.debug(
                "Live view {} of {} closed.", running.watchId(), running.view().filter());
    }

    private static void unregister(Running running) {
        try {
            running.registration().close();
        } catch (Exception e) {
            LOG.warn("Ending live view {} failed: {}", running.watchId(), e.toString());
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }
}
