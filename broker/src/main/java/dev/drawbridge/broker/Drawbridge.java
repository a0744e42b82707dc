package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ClientLimits;
import dev.drawbridge.broker.conf.ConfigException;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.EngineSettings;
import dev.drawbridge.broker.engine.session.QueueLimits;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.engine.store.EngineStores;
import dev.drawbridge.broker.mdns.MdnsAdvertiser;
import dev.drawbridge.broker.net.BoundListener;
import dev.drawbridge.broker.net.ListenerGroup;
import dev.drawbridge.broker.net.ListenerSettings;
import dev.drawbridge.broker.net.PendingConnections;
import dev.drawbridge.broker.net.TopicLimits;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.security.RulesException;
import dev.drawbridge.broker.sys.BrokerStats;
import dev.drawbridge.broker.sys.SysTopics;
import dev.drawbridge.broker.tls.CertificateExpiry;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.TlsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    private final BrokerConfig config;
    private final Engine engine;
    private final ListenerGroup listeners;
    private final ScheduledExecutorService timers;
    private final PidFile pidFile;
    private final BrokerSecurity security;
    private final List<ServerTls> tls;
    private final PendingConnections pending;
    private volatile MdnsAdvertiser mdns = MdnsAdvertiser.none();
    private boolean closed;

    private Drawbridge(
            BrokerConfig config,
            Engine engine,
            ListenerGroup listeners,
            ScheduledExecutorService timers,
            PidFile pidFile,
            BrokerSecurity security,
            List<ServerTls> tls,
            PendingConnections pending) {
        this.pending = pending;
        this.security = security;
        this.tls = List.copyOf(tls);
        this.config = config;
        this.engine = engine;
        this.listeners = listeners;
        this.timers = timers;
        this.pidFile = pidFile;
    }

    /** Reads {@code mosquitto.conf} and starts a broker from it. */
    public static Drawbridge start(Path mosquittoConf) throws ConfigException, BrokerStartException {
        return start(ConfigParser.parse(mosquittoConf));
    }

    /**
     * Loads what a start would load (TLS material, password, ACL and plugin files) and binds, persists and writes
     * nothing: the command line's {@code --test-config}.
     */
    public static void check(BrokerConfig config) throws BrokerStartException {
        loadTls(config);
        try {
            BrokerSecurity.load(config.listeners(), Optional.empty()).close();
        } catch (RulesException e) {
            throw new BrokerStartException(String.join("\n", e.problems()), e);
        }
    }

    /** Starts a broker: every listener is bound, or none is and this throws. */
    public static Drawbridge start(BrokerConfig config) throws BrokerStartException {
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
                    specs(config, security, tls, pending), config.clientLimits().globalMaxConnections(), engine, stats);
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
        Drawbridge broker = new Drawbridge(
                config,
                engine,
                group,
                timers,
                pid,
                security,
                tls.stream().flatMap(Optional::stream).toList(),
                pending);
        broker.startSys(stats);
        broker.startExpiryWarnings();
        if (config.mdns()) {
            broker.mdns = MdnsAdvertiser.start(broker.listeners());
        }
        if (config.localOnly()) {
            LOG.info("Starting in local only mode. Connections will only be possible from clients running on this"
                    + " machine. Create a configuration file which defines a listener to allow remote access.");
        }
        LOG.info("drawbridge version {} running", Version.get());
        return broker;
    }

    /**
     * Test-only: replaces the value of {@code persistent_client_expiration}, when that option is set, by an ISO-8601
     * duration ({@code PT2S}): the option takes an hour at least, and a test should see a session expire. Not an
     * option for users.
     */
    static final String CLIENT_EXPIRATION_PROPERTY = "drawbridge.test.client-expiration";

    private static Optional<Duration> clientExpiration(BrokerConfig config) {
        Optional<Duration> configured = config.persistence().clientExpiration();
        String value = System.getProperty(CLIENT_EXPIRATION_PROPERTY);
        if (value == null || configured.isEmpty()) {
            return configured;
        }
        try {
            Duration expiration = Duration.parse(value);
            if (!expiration.isNegative() && !expiration.isZero()) {
                LOG.info(
                        "persistent_client_expiration: {} instead (-D{}, for tests)",
                        expiration,
                        CLIENT_EXPIRATION_PROPERTY);
                return Optional.of(expiration);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.warn(
                "-D{}: expected a positive ISO-8601 duration such as PT2S, found '{}'; using {}",
                CLIENT_EXPIRATION_PROPERTY,
                value,
                configured.get());
        return configured;
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
            return Engine.start(
                    new EngineSettings(
                            new QueueLimits(
                                    config.maxInflightMessages(),
                                    config.maxQueuedMessages(),
                                    config.clientLimits().maxQueuedBytes()),
                            clientExpiration(config)),
                    store,
                    security.deliveries());
        } catch (RuntimeException e) {
            store.close();
            throw new IOException("cannot start the engine: " + e.getMessage(), e);
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

    private static List<ListenerGroup.Spec> specs(
            BrokerConfig config, BrokerSecurity security, List<Optional<ServerTls>> tls, PendingConnections pending) {
        List<ListenerGroup.Spec> specs = new ArrayList<>();
        ClientLimits limits = config.clientLimits();
        TopicLimits topics = new TopicLimits(limits.maxTopicLength(), limits.maxTopicLevels());
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig listener = config.listeners().get(i);
            var settings = new ListenerSettings(
                    listener.describe(),
                    security.gate(i),
                    config.maxKeepalive(),
                    config.messageSizeLimit(),
                    config.log().connectionMessages(),
                    config.allowZeroLengthClientId(),
                    limits.maxClientIdLength(),
                    topics,
                    pending,
                    listener.admission().protocolLevels(),
                    listener.admission().autoIdPrefix(),
                    // Announced to MQTT 5 clients when it is set other than its default, as Mosquitto 2.0 does when
                    // set.
                    config.maxPacketSize() != BrokerConfig.DEFAULT_MAX_PACKET_SIZE ? config.maxPacketSize() : 0,
                    listener.admission().maxTopicAlias(),
                    config.retainAvailable(),
                    listener.admission().maxQos(),
                    listener.admission().maxTopicAliasBroker());
            specs.add(new ListenerGroup.Spec(listener, settings, config.maxPacketSize(), tls.get(i)));
        }
        return specs;
    }

    private void startSys(BrokerStats stats) {
        long interval = config.sysInterval().toSeconds();
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

    /** The listeners as bound, in configuration order; a port asked as 0 shows the real port. */
    public List<BoundListener> listeners() {
        return listeners.bound();
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
        return config;
    }

    /** Re-reads what can change without a restart (SIGHUP). Never stops the broker. */
    public void reload() {
        LOG.info("Reloading config.");
        security.reload();
        for (ServerTls listenerTls : tls) {
            try {
                listenerTls.reload(Clock.systemUTC());
            } catch (TlsException e) {
                LOG.error("Reload kept the previous TLS material: {}", e.getMessage());
            }
        }
    }

    /** Stops accepting, closes every connection, flushes the store and removes the pid file. */
    @Override
    public synchronized void close() {
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
        listeners.closeConnections();
        listeners.close(); // the event loops finish the closed connections' work (wills) before they stop
        engine.close();
        security.close();
        pidFile.remove();
        LOG.info("drawbridge version {} terminating", Version.get());
    }
}
