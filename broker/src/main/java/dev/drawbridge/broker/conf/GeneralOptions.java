package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.bridge.BridgeConfig;
import dev.drawbridge.broker.conf.LogConfig.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The broker-wide options: limits, delivery, persistence, logging, mDNS. A repeated option keeps its last value, as in Mosquitto. */
final class GeneralOptions {

    private static final int MAX_REMAINING_LENGTH = BrokerConfig.PROTOCOL_MAX_PACKET_SIZE;
    private static final String SECONDS = "a number of seconds >= 0";
    private static final String STRING_LENGTH = "a number of bytes 1-" + ClientLimits.MQTT_MAX_STRING;
    private static final List<String> LOG_DESTS =
            List.of("stdout", "stderr", "file PATH", "none", "syslog", "topic", "dlt");
    private static final List<String> LOG_TYPES = EnumSet.allOf(LogConfig.Type.class).stream()
            .map(t -> t.name().toLowerCase(Locale.ROOT))
            .toList();
    /** Mosquitto's units: second (since 2.1), hour, day, week, month (30 days), year (365 days). */
    private static final Pattern EXPIRATION = Pattern.compile("([0-9]{1,9})([shdwmy])");

    private final Diagnostics d;
    private boolean allowZeroLengthClientId = true;
    private int maxPacketSize = BrokerConfig.DEFAULT_MAX_PACKET_SIZE;
    private int messageSizeLimit;
    private int maxInflightMessages = 20;
    private int maxQueuedMessages = 1000;
    private int maxKeepalive = 65535;
    private int maxQueuedBytes = ClientLimits.DEFAULTS.maxQueuedBytes();
    private int maxClientIdLength = ClientLimits.DEFAULTS.maxClientIdLength();
    private int maxTopicLength = ClientLimits.DEFAULTS.maxTopicLength();
    private int maxTopicLevels = ClientLimits.DEFAULTS.maxTopicLevels();
    private int maxPendingConnectionsPerAddress = ClientLimits.DEFAULTS.maxPendingConnectionsPerAddress();
    private int globalMaxConnections = ClientLimits.DEFAULTS.globalMaxConnections();
    private boolean retainAvailable = true;
    private PersistenceConfig persistence = PersistenceConfig.disabled();
    private final List<Destination> logDestinations = new ArrayList<>();
    private final Set<LogConfig.Type> logTypes = EnumSet.noneOf(LogConfig.Type.class);
    private boolean logTimestamp = true;
    private boolean connectionMessages = true;
    private Optional<Path> pidFile = Optional.empty();
    private Duration sysInterval = Duration.ofSeconds(10);
    private boolean mdns;
    private boolean upgradeOutgoingQos;
    private boolean checkRetainSource;

    GeneralOptions(Diagnostics d) {
        this.d = d;
    }

    /** Applies a general option; false if the line is not one. */
    boolean apply(ConfigLine line) {
        PersistenceConfig p = persistence;
        switch (line.option()) {
            case "allow_zero_length_clientid" -> Values.bool(d, line).ifPresent(v -> allowZeroLengthClientId = v);
            case "max_keepalive" -> Values.range(d, line, 0, 65535).ifPresent(v -> maxKeepalive = v);
            case "max_packet_size" ->
                Values.range(d, line, 20, MAX_REMAINING_LENGTH).ifPresent(v -> maxPacketSize = v);
            case "message_size_limit" ->
                Values.range(d, line, 0, MAX_REMAINING_LENGTH).ifPresent(v -> messageSizeLimit = v);
            case "max_inflight_messages" ->
                Values.integer(d, line, 0, Integer.MAX_VALUE, "an integer >= 0")
                        .ifPresent(v -> maxInflightMessages = v);
            case "max_queued_messages" ->
                Values.integer(d, line, 0, Integer.MAX_VALUE, "an integer >= 0").ifPresent(v -> maxQueuedMessages = v);
            case "max_queued_bytes" ->
                Values.integer(d, line, 0, Integer.MAX_VALUE, "0 (no limit) or a number of bytes 1-2147483647")
                        .ifPresent(v -> maxQueuedBytes = v);
            case "max_client_id_length" ->
                Values.integer(d, line, 1, ClientLimits.MQTT_MAX_STRING, STRING_LENGTH)
                        .ifPresent(v -> maxClientIdLength = v);
            case "max_topic_length" ->
                Values.integer(d, line, 1, ClientLimits.MQTT_MAX_STRING, STRING_LENGTH)
                        .ifPresent(v -> maxTopicLength = v);
            case "max_topic_levels" ->
                Values.range(d, line, 1, ClientLimits.MAX_TOPIC_LEVELS).ifPresent(v -> maxTopicLevels = v);
            case "max_pending_connections_per_address" ->
                Values.integer(d, line, 0, Integer.MAX_VALUE, "0 (no limit) or an integer 1-2147483647")
                        .ifPresent(v -> maxPendingConnectionsPerAddress = v);
            case "global_max_connections" ->
                Values.integer(d, line, -1, Integer.MAX_VALUE, "-1 (no limit) or an integer 0-2147483647")
                        .ifPresent(v -> globalMaxConnections = v);
            case "global_max_clients" ->
                Values.integer(d, line, -1, Integer.MAX_VALUE, "-1 (no limit) or an integer 0-2147483647")
                        .ifPresent(v -> {
                            if (v != -1) {
                                // A session limit ignored is one an attacker never meets.
                                d.error(
                                        line,
                                        "global_max_clients: a limit on sessions is not supported by Drawbridge, and"
                                                + " ignoring it would weaken security; remove it, or use"
                                                + " global_max_connections or max_connections");
                            }
                        });
            case "retain_available" -> Values.bool(d, line).ifPresent(v -> retainAvailable = v);
            case "persistence", "retained_persistence" ->
                Values.bool(d, line)
                        .ifPresent(v -> persistence = new PersistenceConfig(
                                v, p.location(), p.file(), p.autosaveInterval(), p.clientExpiration(), p.durable()));
            case "persistence_location" ->
                Values.directory(d, line)
                        .ifPresent(v -> persistence = new PersistenceConfig(
                                p.enabled(), v, p.file(), p.autosaveInterval(), p.clientExpiration(), p.durable()));
            case "persistence_file" -> persistenceFile(line);
            case "autosave_interval" ->
                Values.integer(d, line, 0, Integer.MAX_VALUE, SECONDS)
                        .ifPresent(v -> persistence = new PersistenceConfig(
                                p.enabled(),
                                p.location(),
                                p.file(),
                                Duration.ofSeconds(v),
                                p.clientExpiration(),
                                p.durable()));
            case "persistent_client_expiration" -> clientExpiration(line);
            case "persistence_mode" ->
                Values.choice(d, line, List.of("durable", "autosave"))
                        .ifPresent(v -> persistence = new PersistenceConfig(
                                p.enabled(),
                                p.location(),
                                p.file(),
                                p.autosaveInterval(),
                                p.clientExpiration(),
                                v.equals("durable")));
            case "log_dest" -> logDest(line);
            case "log_type" ->
                Values.choice(d, line, LOG_TYPES)
                        .ifPresent(v -> logTypes.add(LogConfig.Type.valueOf(v.toUpperCase(Locale.ROOT))));
            case "log_timestamp" -> Values.bool(d, line).ifPresent(v -> logTimestamp = v);
            case "connection_messages" -> Values.bool(d, line).ifPresent(v -> connectionMessages = v);
            case "pid_file" -> Values.path(d, line, "a file").ifPresent(v -> pidFile = Optional.of(v));
            case "sys_interval" ->
                Values.integer(d, line, 0, Integer.MAX_VALUE, SECONDS)
                        .ifPresent(v -> sysInterval = Duration.ofSeconds(v));
            case "mdns" -> Values.bool(d, line).ifPresent(v -> mdns = v);
            case "upgrade_outgoing_qos" -> Values.bool(d, line).ifPresent(v -> upgradeOutgoingQos = v);
            case "check_retain_source" -> Values.bool(d, line).ifPresent(v -> checkRetainSource = v);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void persistenceFile(ConfigLine line) {
        String name = line.value();
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            d.error(line, "persistence_file: expected a file name without '/', found " + line.found());
            return;
        }
        PersistenceConfig p = persistence;
        persistence = new PersistenceConfig(
                p.enabled(), p.location(), name, p.autosaveInterval(), p.clientExpiration(), p.durable());
    }

    private void clientExpiration(ConfigLine line) {
        Matcher m = EXPIRATION.matcher(line.value());
        long amount = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (amount == 0) {
            d.error(
                    line,
                    "persistent_client_expiration: expected a number > 0 followed by s, h, d, w, m or y"
                            + " (e.g. 14d), found " + line.found());
            return;
        }
        Duration unit = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "w" -> Duration.ofDays(7);
            case "m" -> Duration.ofDays(30);
            default -> Duration.ofDays(365);
        };
        PersistenceConfig p = persistence;
        persistence = new PersistenceConfig(
                p.enabled(),
                p.location(),
                p.file(),
                p.autosaveInterval(),
                Optional.of(unit.multipliedBy(amount)),
                p.durable());
    }

    private void logDest(ConfigLine line) {
        List<String> words = line.words();
        String kind = words.isEmpty() ? "" : words.get(0);
        if (kind.equals("file")) {
            String file = line.value().substring("file".length()).strip();
            Values.path(d, line, "log_dest file", file, "a path").ifPresent(path -> {
                Path dir = path.getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    d.error(line, "log_dest: cannot write to '" + file + "': its directory does not exist");
                } else {
                    addDestination(new Destination(Destination.Kind.FILE, path));
                }
            });
            return;
        }
        if (words.size() != 1 || !LOG_DESTS.contains(kind)) {
            d.error(line, "log_dest: expected " + Values.oneOf(LOG_DESTS) + ", found " + line.found());
            return;
        }
        switch (kind) {
            case "stdout" -> addDestination(Destination.of(Destination.Kind.STDOUT));
            case "stderr" -> addDestination(Destination.of(Destination.Kind.STDERR));
            case "none" -> addDestination(Destination.of(Destination.Kind.NONE));
            default -> {
                d.warn(line, "log_dest " + kind + ": not supported by Drawbridge; logging to stderr instead");
                addDestination(Destination.of(Destination.Kind.STDERR));
            }
        }
    }

    private void addDestination(Destination destination) {
        if (!logDestinations.contains(destination)) {
            logDestinations.add(destination);
        }
    }

    BrokerConfig build(
            List<ListenerConfig> listeners,
            boolean localOnly,
            List<BridgeConfig> bridges,
            List<ConsoleConfig> consoles,
            List<String> warnings) {
        return new BrokerConfig(
                listeners,
                localOnly,
                allowZeroLengthClientId,
                maxPacketSize,
                messageSizeLimit,
                maxInflightMessages,
                maxQueuedMessages,
                maxKeepalive,
                retainAvailable,
                persistence,
                new LogConfig(logDestinations, logTypes, logTimestamp, connectionMessages),
                pidFile,
                sysInterval,
                mdns,
                new ClientLimits(
                        maxClientIdLength,
                        maxTopicLength,
                        maxTopicLevels,
                        maxQueuedBytes,
                        maxPendingConnectionsPerAddress,
                        globalMaxConnections),
                new DeliveryOptions(upgradeOutgoingQos, checkRetainSource),
                bridges,
                consoles,
                warnings);
    }
}
