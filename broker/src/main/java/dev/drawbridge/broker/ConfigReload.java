package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConfigException;
import dev.drawbridge.broker.conf.ConfigOrigins;
import dev.drawbridge.broker.conf.LogConfig;
import dev.drawbridge.broker.conf.ParsedConfig;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.net.ListenerGroup;
import dev.drawbridge.broker.net.PendingConnections;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.TlsException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIGHUP reload of a running broker: rereads its {@code mosquitto.conf}, plans what changes ({@link ReloadPlan}),
 * loads everything new, then applies it to the security, TLS, engine, listeners and logging; holds the configuration
 * in force.
 */
final class ConfigReload {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    /** The configuration in force; a reload replaces it whole. */
    private volatile BrokerConfig config;

    private ConfigOrigins origins = ConfigOrigins.NONE;
    private Optional<Source> source = Optional.empty();
    private Consumer<LogConfig> logging = log -> {};
    private final Engine engine;
    private final ListenerGroup listeners;
    private final BrokerSecurity security;
    /** Each listener's TLS, in configuration order. */
    private final List<Optional<ServerTls>> listenerTls;

    private final PendingConnections pending;

    /**
     * Where the file is read again: the embedding API's public config source, handed on as this so that the reload
     * does not depend back on the class that starts the broker.
     */
    @FunctionalInterface
    interface Source {
        ParsedConfig read() throws ConfigException;
    }

    ConfigReload(
            BrokerConfig config,
            Engine engine,
            ListenerGroup listeners,
            BrokerSecurity security,
            List<Optional<ServerTls>> listenerTls,
            PendingConnections pending) {
        this.config = config;
        this.engine = engine;
        this.listeners = listeners;
        this.security = security;
        this.listenerTls = List.copyOf(listenerTls);
        this.pending = pending;
    }

    BrokerConfig config() {
        return config;
    }

    /** From now on a reload reads {@code source} again, and hands the log settings it finds to {@code logging}. */
    synchronized void readFrom(ConfigOrigins origins, Source source, Consumer<LogConfig> logging) {
        this.origins = origins;
        this.source = Optional.of(source);
        this.logging = logging;
    }

    /**
     * Rereads and applies, or keeps everything as it was; logs the start and the end of the reload.
     *
     * @return whether it was applied (false: everything was kept, and why is logged)
     */
    synchronized boolean reload() {
        LOG.info("Reloading config.");
        try {
            return reloadNow();
        } finally {
            // Mosquitto logs nothing here; scripts and tests know from this line that the reload is over.
            LOG.info("Reload finished.");
        }
    }

    private boolean reloadNow() {
        if (source.isEmpty()) {
            reloadFiles();
            return true;
        }
        ParsedConfig reread;
        try {
            reread = source.get().read();
        } catch (ConfigException e) {
            e.problems().forEach(p -> LOG.error("Reload kept the previous configuration: {}", p));
            return false;
        }
        ReloadPlan plan = ReloadPlan.of(config, origins, reread);
        BrokerConfig next = plan.effective();
        // Everything is loaded before anything changes: a problem leaves the broker as it was.
        Optional<List<Optional<ServerTls.Loaded>>> prepared = prepareTls(next);
        if (prepared.isEmpty() || !security.reconfigure(next.listeners())) {
            return false;
        }
        next.warnings().forEach(LOG::warn);
        plan.needsRestart().forEach(LOG::warn);
        for (int i = 0; i < listenerTls.size(); i++) {
            int at = i;
            prepared.get()
                    .get(i)
                    .ifPresent(loaded -> listenerTls
                            .get(at)
                            .orElseThrow()
                            .apply(next.listeners().get(at).tls().orElseThrow(), loaded));
        }
        engine.apply(BrokerSettings.engine(next));
        for (int i = 0; i < next.listeners().size(); i++) {
            listeners.update(i, BrokerSettings.listener(next, i, security, listenerTls.get(i), pending));
        }
        logging.accept(next.log());
        config = next;
        origins = reread.origins();
        return true;
    }

    /** A broker started from a {@link BrokerConfig}: its password, ACL, plugin and TLS files read again. */
    private void reloadFiles() {
        security.reload();
        for (Optional<ServerTls> tls : listenerTls) {
            if (tls.isEmpty()) {
                continue;
            }
            try {
                tls.get().reload(Clock.systemUTC());
            } catch (TlsException e) {
                LOG.error("Reload kept the previous TLS material: {}", e.getMessage());
            }
        }
    }

    /** Each listener's new TLS material, loaded but not in use; empty (and logged) when any of it cannot load. */
    private Optional<List<Optional<ServerTls.Loaded>>> prepareTls(BrokerConfig next) {
        List<Optional<ServerTls.Loaded>> prepared = new ArrayList<>();
        for (int i = 0; i < listenerTls.size(); i++) {
            Optional<ServerTls> running = listenerTls.get(i);
            Optional<TlsConfig> wanted = next.listeners().get(i).tls();
            if (running.isEmpty() || wanted.isEmpty()) {
                prepared.add(Optional.empty());
                continue;
            }
            try {
                prepared.add(Optional.of(running.get().prepare(wanted.get(), Clock.systemUTC())));
            } catch (TlsException e) {
                LOG.error(
                        "Reload kept the previous configuration: listener {}: {}",
                        next.listeners().get(i).describe(),
                        e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.of(prepared);
    }
}
