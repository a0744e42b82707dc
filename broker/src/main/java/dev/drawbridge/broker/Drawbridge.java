package dev.drawbridge.broker;

import dev.drawbridge.broker.bridge.BridgeStartException;
import dev.drawbridge.broker.bridge.Bridges;
import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConfigException;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.LogConfig;
import dev.drawbridge.broker.conf.ParsedConfig;
import dev.drawbridge.broker.console.BrokerView;
import dev.drawbridge.broker.console.Console;
import dev.drawbridge.broker.console.MqttListeners;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.engine.store.EngineStores;
import dev.drawbridge.broker.mdns.MdnsAdvertiser;
import dev.drawbridge.broker.net.BoundListener;
import dev.drawbridge.broker.net.ListenerGroup;
import dev.drawbridge.broker.net.PendingConnections;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.security.RulesException;
import dev.drawbridge.broker.sys.BrokerStats;
import dev.drawbridge.broker.sys.SysTopics;
import dev.drawbridge.broker.tls.CertificateExpiry;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.TlsException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Drawbridge broker. Start one from a {@code mosquitto.conf} or a {@link BrokerConfig}; {@link #close()}
 * stops it, flushing persisted state.
 *
 * <pre>{@code
 * try (Drawbridge broker = Drawbridge.start(Path.of("mosquitto.conf"))) {
 *     int port = broker.listeners().get(0).port();
 *     ...
 * }
 * }</pre>
 */
public final class Drawbridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Drawbridge.class);

    private final ConfigReload reload;
    private final Engine engine;
    private final ListenerGroup listeners;
    private final ScheduledExecutorService timers;
    private final PidFile pidFile;
    private final BrokerSecurity security;
    private final List<ServerTls> tls;

    private final PendingConnections pending;
    private volatile Bridges bridges = Bridges.none();
    private volatile MdnsAdvertiser mdns = MdnsAdvertiser.none();
    private volatile List<Console> consoles = List.of();
    private boolean closed;

    private Drawbridge(
            BrokerConfig config,
            Engine engine,
            ListenerGroup listeners,
            ScheduledExecutorService timers,
            PidFile pidFile,
            BrokerSecurity security,
            List<Optional<ServerTls>> tls,
            PendingConnections pending) {
        this.pending = pending;
        this.security = security;
        this.tls = tls.stream().flatMap(Optional::stream).toList();
        this.reload = new ConfigReload(config, engine, listeners, security, tls, pending);
        this.engine = engine;
        this.listeners = listeners;
        this.timers = timers;
        this.pidFile = pidFile;
    }

    /** Reads {@code mosquitto.conf} and starts a broker from it; {@link #reload()} reads the file again. */
    public static Drawbridge start(Path mosquittoConf) throws ConfigException, BrokerStartException {
        ConfigSource source = () -> ConfigParser.parseWithOrigins(mosquittoConf);
        return start(source.read(), source, log -> {});
    }

    /** Reads the configuration again for a reload: the file, with whatever the command line overrides in it. */
    @FunctionalInterface
    public interface ConfigSource {
        ParsedConfig read() throws ConfigException;
    }

    /**
     * Starts a broker from a configuration read from a file; {@link #reload()} reads it again from {@code source} and
     * hands the log settings it finds to {@code logging}.
     */
    public static Drawbridge start(ParsedConfig config, ConfigSource source, Consumer<LogConfig> logging)
            throws BrokerStartException {
        Drawbridge broker = start(config.config());
        broker.reload.readFrom(config.origins(), source::read, logging);
        return broker;
    }

    /**
     * Loads what a start would load (TLS material, password, ACL and plugin files) and binds, persists and writes
     * nothing: the command line's {@code --test-config}.
     */
    public static void check(BrokerConfig config) throws BrokerStartException {
        readyBridges(config);
        loadTls(config);
        try (BrokerSecurity security = BrokerSecurity.load(config.listeners(), Optional.empty())) {
            Consoles.check(config, security);
        } catch (RulesException e) {
            throw new BrokerStartException(String.join("\n", e.problems()), e);
        }
    }

    /** Starts a broker: every listener is bound, or none is and this throws. */
    public static Drawbridge start(BrokerConfig config) throws BrokerStartException {
        Bridges.Ready bridgesToStart = readyBridges(config);
        config.warnings().forEach(LOG::warn);
        List<Optional<ServerTls>> tls = loadTls(config);
        Optional<Path> dataPath = config.persistence().enabled()
                ? Optional.of(config.persistence().location().resolve("drawbridge-store"))
                : Optional.empty();
        BrokerSecurity security;
        try {
            security = BrokerSecurity.load(config.listeners(), dataPath.map(p -> p.resolve("clients.properties")));
        } catch (RulesException e) {
            throw new BrokerStartException(String.join("\n", e.problems()), e);
        }
        BrokerStats stats = new BrokerStats();
        Engine engine;
        try {
            engine = startEngine(config, dataPath, security);
        } catch (IOException e) {
            security.close();
            throw new BrokerStartException(
                    "persistence_location " + config.persistence().location() + ": " + e.getMessage(), e);
        }
        PendingConnections pending =
                new PendingConnections(config.clientLimits().maxPendingConnectionsPerAddress(), System::nanoTime);
        ListenerGroup group;
        try {
            // One count for every listener: an address holds as many pending sockets wherever it opens them.
            group = ListenerGroup.open(
                    BrokerSettings.listeners(config, security, tls, pending),
                    config.clientLimits().globalMaxConnections(),
                    engine,
                    stats);
        } catch (IOException | IllegalArgumentException e) {
            engine.close();
            security.close();
            throw new BrokerStartException(String.valueOf(e.getMessage()), e);
        }
        PidFile pid;
        try {
            pid = PidFile.write(config.pidFile());
        } catch (IOException e) {
            group.close();
            engine.close();
            security.close();
            throw new BrokerStartException("pid_file: " + e.getMessage(), e);
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drawbridge-sys");
            t.setDaemon(true);
            return t;
        });
        Drawbridge broker = new Drawbridge(config, engine, group, timers, pid, security, tls, pending);
        broker.startSys(stats);
        broker.startExpiryWarnings();
        try {
            broker.consoles = Consoles.start(
                    config,
                    security,
                    new BrokerView(
                            stats,
                            engine,
                            security,
                            Version.get(),
                            Instant.now(),
                            dataPath,
                            listenerPorts(broker.listeners())),
                    broker.mqttListeners());
        } catch (BrokerStartException e) {
            broker.close();
            throw e;
        }
        if (config.mdns()) {
            broker.mdns = MdnsAdvertiser.start(broker.listeners());
        }
        // Once the listeners are up; a bridge whose remote broker is down connects in the background.
        broker.bridges = Bridges.start(bridgesToStart, engine, security::bridge);
        if (config.localOnly()) {
            LOG.info("Starting in local only mode. Connections will only be possible from clients running on this"
                    + " machine. Create a configuration file which defines a listener to allow remote access.");
        }
        LOG.info("drawbridge version {} running", Version.get());
        return broker;
    }

    /** Opens the store (when the broker persists) and starts the engine on it. */
    private static Engine startEngine(BrokerConfig config, Optional<Path> dataPath, BrokerSecurity security)
            throws IOException {
        EngineStore store = dataPath.isPresent()
                ? EngineStores.open(
                        dataPath.get(),
                        config.persistence().durable(),
                        config.persistence().autosaveInterval())
                : EngineStores.inMemory();
        try {
            return Engine.start(BrokerSettings.engine(config), store, security.deliveries());
        } catch (RuntimeException e) {
            store.close();
            throw new IOException("cannot start the engine: " + e.getMessage(), e);
        }
    }

    /**
     * The bridges made ready (each TLS bridge's client context built); a bridge this version does not run, or whose
     * TLS material cannot be used, keeps the broker from starting.
     */
    private static Bridges.Ready readyBridges(BrokerConfig config) throws BrokerStartException {
        try {
            return Bridges.ready(config.bridges());
        } catch (BridgeStartException e) {
            throw new BrokerStartException(String.valueOf(e.getMessage()), e);
        }
    }

    private static List<Optional<ServerTls>> loadTls(BrokerConfig config) throws BrokerStartException {
        List<Optional<ServerTls>> all = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            if (listener.tls().isEmpty()) {
                all.add(Optional.empty());
                continue;
            }
            try {
                all.add(Optional.of(ServerTls.load(listener.tls().get(), Clock.systemUTC())));
            } catch (TlsException e) {
                throw new BrokerStartException("listener " + listener.describe() + ": " + e.getMessage(), e);
            }
        }
        return all;
    }

    private void startSys(BrokerStats stats) {
        long interval = config().sysInterval().toSeconds();
        if (interval <= 0) {
            return;
        }
        SysTopics sys = new SysTopics(
                stats,
                Version.get(),
                Instant.now(),
                engine::subscriptionCount,
                engine::retainedCount,
                engine::sessionCount,
                engine::droppedCount);
        timers.scheduleAtFixedRate(
                () -> {
                    try {
                        sys.publish(Instant.now(), engine::publishRetained);
                    } catch (RuntimeException e) {
                        LOG.warn("Publishing $SYS failed: {}", e.toString());
                    }
                },
                0,
                interval,
                TimeUnit.SECONDS);
    }

    /**
     * Test-only: how often the expiry warning repeats, as an ISO-8601 duration ({@code PT2S}); a day unless set. Lets
     * a test see the daily warning come again without waiting a day; not an option for users.
     */
    static final String EXPIRY_WARNING_INTERVAL_PROPERTY = "drawbridge.test.expiry-warning-interval";

    private void startExpiryWarnings() {
        if (tls.isEmpty()) {
            return;
        }
        Duration interval = expiryWarningInterval();
        timers.scheduleAtFixedRate(
                () -> tls.forEach(t -> CertificateExpiry.warnIfEndingSoon(t, Clock.systemUTC())),
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static Duration expiryWarningInterval() {
        Duration day = Duration.ofDays(1);
        String value = System.getProperty(EXPIRY_WARNING_INTERVAL_PROPERTY);
        if (value == null) {
            return day;
        }
        try {
            Duration interval = Duration.parse(value);
            if (!interval.isNegative() && !interval.isZero()) {
                return interval;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.warn(
                "-D{}: expected a positive ISO-8601 duration such as PT2S, found '{}'; warning daily",
                EXPIRY_WARNING_INTERVAL_PROPERTY,
                value);
        return day;
    }

    /**
     * The ports the listeners are bound to, by their configured port (the name the rules and the console's client list
     * know them by); listeners asked for port 0 each got their own, listed together.
     */
    private static Map<String, String> listenerPorts(List<BoundListener> bound) {
        Map<String, Set<Integer>> ports = new LinkedHashMap<>();
        for (BoundListener listener : bound) {
            ports.computeIfAbsent(Integer.toString(listener.config().port()), k -> new TreeSet<>())
                    .add(listener.port());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        ports.forEach((name, actual) ->
                labels.put(name, actual.stream().map(String::valueOf).collect(Collectors.joining(" or "))));
        return labels;
    }

    /** The listeners as bound, in configuration order; a port asked as 0 shows the real port. */
    public List<BoundListener> listeners() {
        return listeners.bound();
    }

    /** Where each console ({@code protocol http_api} listener) listens, in configuration order. */
    public List<InetSocketAddress> consoles() {
        return consoles.stream().map(Console::address).toList();
    }

    /** The first listener's port. */
    public int port() {
        return listeners.bound().get(0).port();
    }

    /** How many sockets from this address have not completed an accepted CONNECT (0 without a limit). */
    public int pendingConnections(String address) {
        return pending.pending(address);
    }

    public BrokerConfig config() {
        return reload.config();
    }

    /**
     * SIGHUP. A broker started from a file reads it again and applies what can change without a restart: anonymous
     * access, password, ACL and plugin files, per-listener security, TLS files, log settings and limits. Any problem
     * in the file or the files it names keeps the whole previous configuration (each logged {@code FILE:LINE:
     * reason}); a change that needs a restart is logged as such and not applied. A broker started from a
     * {@link BrokerConfig} rereads its password, ACL, plugin and TLS files. Never stops the broker.
     */
    public void reload() {
        reloadApplied();
    }

    /** {@link #reload()}, telling whether it was applied. */
    private synchronized boolean reloadApplied() {
        // Under the broker's lock, as close() is: a reload never meets a broker closing.
        if (closed) {
            return false;
        }
        if (reload.reload()) {
            consoles.forEach(Console::reloadLogins);
            return true;
        }
        return false;
    }

    /** The console's view of the MQTT listeners: their configuration in force, and the SIGHUP reload. */
    private MqttListeners mqttListeners() {
        return new MqttListeners() {
            @Override
            public List<ListenerConfig> inForce() {
                return config().listeners();
            }

            @Override
            public boolean reload() {
                return reloadApplied();
            }
        };
    }

    /** Stops accepting, closes every connection, flushes the store and removes the pid file. */
    @Override
    public void close() {
        // The consoles first and outside the lock: a console's thread may be waiting for the lock in a reload after a
        // revoke, and closing a console waits for its thread.
        List<Console> open;
        synchronized (this) {
            open = consoles;
            consoles = List.of();
        }
        open.forEach(Console::close);
        closeBroker();
    }

    private synchronized void closeBroker() {
        if (closed) {
            return;
        }
        closed = true;
        // shutdown(), not shutdownNow(): an interrupt during the store's file I/O would close it for good.
        timers.shutdown();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mdns.close();
        bridges.close();
        listeners.closeConnections();
        listeners.close(); // the event loops finish the closed connections' work (wills) before they stop
        engine.close();
        security.close();
        pidFile.remove();
        LOG.info("drawbridge version {} terminating", Version.get());
    }
}
