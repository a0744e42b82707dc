package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.Decision;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the checks that ask a plugin run: never on an I/O thread, but on a few threads of their own with a bounded
 * queue, so that a slow plugin holds up only the connections waiting for its answer. Each plugin call keeps its
 * deadline ({@link PluginGuard}). A check that cannot run (queue full) or fails is a refusal, never an allow.
 */
final class PluginChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginChecks.class);

    /** How long one plugin call may take, in milliseconds ({@code -Ddrawbridge.pluginDeadlineMillis}). */
    static final String DEADLINE_PROPERTY = "drawbridge.pluginDeadlineMillis";

    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(1);
    private static final long MAX_DEADLINE_MILLIS = 60_000;
    /** Enough for a few stuck plugin calls at once without making a home broker pay for idle threads. */
    private static final int THREADS = 4;
    /** Checks waiting for a thread; beyond this a newcomer is refused rather than queued without bound. */
    private static final int QUEUE = 10_000;

    private final Duration deadline;
    private final ThreadPoolExecutor executor;

    PluginChecks(Duration deadline) {
        this.deadline = deadline;
        this.executor =
                new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "drawbridge-plugin-check");
                    t.setDaemon(true);
                    return t;
                });
        // An idle broker keeps no check thread.
        executor.allowCoreThreadTimeOut(true);
    }

    /** With the deadline of {@value #DEADLINE_PROPERTY}, 1 s when it is not set. */
    static PluginChecks fromSystemProperty() throws RulesException {
        return new PluginChecks(deadline(System.getProperty(DEADLINE_PROPERTY)));
    }

    /** The deadline a value of {@value #DEADLINE_PROPERTY} sets; null: the default. */
    static Duration deadline(@Nullable String value) throws RulesException {
        if (value == null) {
            return DEFAULT_DEADLINE;
        }
        long millis;
        try {
            millis = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1 || millis > MAX_DEADLINE_MILLIS) {
            throw new RulesException(List.of("-D" + DEADLINE_PROPERTY + ": expected a whole number of milliseconds"
                    + " from 1 to " + MAX_DEADLINE_MILLIS + ", found '" + value + "'"));
        }
        return Duration.ofMillis(millis);
    }

    /** Asks one plugin, on the calling thread's behalf, within the deadline: see {@link PluginGuard}. */
    Decision call(String plugin, Supplier<Decision> check) {
        return PluginGuard.call(plugin, deadline, check);
    }

    /**
     * Runs {@code check} on a check thread. The result never completes exceptionally: when the check cannot run or
     * fails, it completes with {@code refusal}, logged as WARN with {@code what}.
     */
    <T> CompletableFuture<T> later(String what, Supplier<T> check, T refusal) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(check.get());
                } catch (RuntimeException e) {
                    LOG.warn("{} failed; refusing: {}", what, e.toString());
                } finally {
                    result.complete(refusal); // no effect once completed; fails closed on anything else
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: {} checks already wait for plugins; refusing.", what, QUEUE);
            result.complete(refusal);
        }
        return result;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
