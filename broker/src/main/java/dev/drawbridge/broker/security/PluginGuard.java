package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.Decision;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plugin's check with a deadline: a plugin that throws, returns nothing or takes too long is a deny, logged with
 * the plugin's name and jar, never an allow. The check runs on a plugin thread of its own, which is interrupted at the
 * deadline, so that the caller waits no longer than that. Logins, PUBLISH and SUBSCRIBE checks call this from a
 * {@link PluginChecks} thread; READ checks at delivery from the I/O thread (their answers are cached).
 */
final class PluginGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PluginGuard.class);
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drawbridge-plugin");
        t.setDaemon(true);
        return t;
    });

    private PluginGuard() {}

    static Decision call(String plugin, Duration deadline, Supplier<Decision> check) {
        Future<Decision> future = THREADS.submit(check::get);
        try {
            Decision decision = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (decision == null) {
                LOG.warn("Plugin {} returned no decision; denying.", plugin);
                return Decision.deny("plugin " + plugin + " returned no decision");
            }
            return decision;
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("Plugin {} took longer than {} ms; denying.", plugin, deadline.toMillis());
            return Decision.deny("plugin " + plugin + " timed out");
        } catch (ExecutionException e) {
            LOG.warn("Plugin {} failed; denying: {}", plugin, String.valueOf(e.getCause()));
            return Decision.deny("plugin " + plugin + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Decision.deny("interrupted while asking plugin " + plugin);
        }
    }
}
