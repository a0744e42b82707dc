package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.bridge.BridgeConfig;
import dev.drawbridge.broker.bridge.BridgeConfig.Address;
import dev.drawbridge.broker.bridge.BridgeConfig.Credentials;
import dev.drawbridge.broker.bridge.BridgeConfig.ProtocolVersion;
import dev.drawbridge.broker.bridge.BridgeConfig.Restart;
import dev.drawbridge.broker.bridge.BridgeConfig.StartType;
import dev.drawbridge.broker.bridge.TopicMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code connection} block being read. Mosquitto's defaults are set as its {@code conf.c} sets them on a
 * {@code connection} line. Where Mosquitto raises a low value with a notice ({@code keepalive_interval} below 5,
 * {@code idle_timeout}, {@code threshold} and {@code restart_timeout} below 1), Drawbridge refuses it: nothing is
 * clamped.
 */
final class BridgeDraft {

    final String name;
    final String where;

    private @Nullable ConfigLine addressLine;
    private final List<Address> addresses = new ArrayList<>();
    private boolean roundRobin;
    private final List<TopicMapping> topics = new ArrayList<>();
    /** A bad {@code topic} line is reported once, not again as "no topic". */
    private boolean topicSeen;
    /** The string options: Mosquitto refuses a second value of each ("Duplicate ... value"). */
    private final Map<String, String> strings = new HashMap<>();

    private final Map<String, ConfigLine> stringLines = new HashMap<>();
    private boolean cleanSession;
    private Optional<Boolean> localCleanSession = Optional.empty();
    private boolean tryPrivate = true;
    private boolean notifications = true;
    private boolean notificationsLocalOnly;
    private Duration keepalive = Duration.ofSeconds(60);
    private Restart restart = Restart.DEFAULT;
    private ProtocolVersion protocolVersion = ProtocolVersion.MQTT_3_1_1;
    private Optional<Path> cafile = Optional.empty();
    private Optional<Path> capath = Optional.empty();
    private Optional<Path> certfile = Optional.empty();
    private Optional<Path> keyfile = Optional.empty();
    private boolean insecure;
    private Optional<ConfigLine> tlsLine = Optional.empty();
    /** A {@code bridge_cafile} or {@code bridge_capath} line, even one whose file could not be read. */
    private boolean caGiven;

    private Optional<String> tlsVersion = Optional.empty();
    private StartType startType = StartType.AUTOMATIC;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int threshold = 10;

    BridgeDraft(String name, String where) {
        this.name = name;
        this.where = where;
    }

    /** A bad {@code connection} line: its options are read (and checked) but it makes no bridge. */
    static BridgeDraft broken(ConfigLine line) {
        return new BridgeDraft("", line.where());
    }

    void apply(ConfigLine line, Diagnostics d) {
        switch (line.option()) {
            case "address", "addresses" -> addresses(line, d);
            case "topic" -> {
                topicSeen = true;
                BridgeValues.topic(line, d).ifPresent(topics::add);
            }
            case "remote_clientid", "clientid" -> string(line, d, "remote_clientid");
            case "local_clientid" -> string(line, d, "local_clientid");
            case "remote_username", "username" -> string(line, d, "remote_username");
            case "remote_password", "password" -> string(line, d, "remote_password");
            case "local_username" -> string(line, d, "local_username");
            case "local_password" -> string(line, d, "local_password");
            case "notification_topic" -> notificationTopic(line, d);
            case "bridge_alpn" -> string(line, d, "bridge_alpn");
            case "cleansession" -> Values.bool(d, line).ifPresent(v -> cleanSession = v);
            case "local_cleansession" -> Values.bool(d, line).ifPresent(v -> localCleanSession = Optional.of(v));
            case "try_private" -> Values.bool(d, line).ifPresent(v -> tryPrivate = v);
            case "notifications" -> Values.bool(d, line).ifPresent(v -> notifications = v);
            case "notifications_local_only" -> Values.bool(d, line).ifPresent(v -> notificationsLocalOnly = v);
            case "round_robin" -> Values.bool(d, line).ifPresent(v -> roundRobin = v);
            case "keepalive_interval" ->
                Values.integer(d, line, 5, 65_535, "a number of seconds 5-65535")
                        .ifPresent(v -> keepalive = Duration.ofSeconds(v));
            case "idle_timeout" ->
                Values.integer(d, line, 1, Integer.MAX_VALUE, "a number of seconds >= 1")
                        .ifPresent(v -> idleTimeout = Duration.ofSeconds(v));
            case "threshold" ->
                Values.integer(d, line, 1, Integer.MAX_VALUE, "a number of messages >= 1")
                        .ifPresent(v -> threshold = v);
            case "restart_timeout" -> BridgeValues.restart(line, d).ifPresent(v -> restart = v);
            case "start_type" -> startType(line, d);
            case "bridge_protocol_version" ->
                Values.choice(d, line, List.of("mqttv31", "mqttv311", "mqttv50"))
                        .ifPresent(v -> protocolVersion = switch (v) {
                            case "mqttv31" -> ProtocolVersion.MQTT_3_1;
                            case "mqttv311" -> ProtocolVersion.MQTT_3_1_1;
                            default -> ProtocolVersion.MQTT_5;
                        });
            case "bridge_cafile" -> {
                caGiven = true;
                cafile = tls(line, Values.readableFile(d, line));
            }
            case "bridge_capath" -> {
                caGiven = true;
                capath = tls(line, Values.directory(d, line));
            }
            case "bridge_certfile" -> certfile = tls(line, Values.readableFile(d, line));
            case "bridge_keyfile" -> keyfile = tls(line, Values.readableFile(d, line));
            case "bridge_insecure" ->
                Values.bool(d, line).ifPresent(v -> {
                    insecure = v;
                    tls(line, Optional.empty());
                    if (v) {
                        d.warn(
                                line,
                                "bridge_insecure true: connection " + name + " does not check that the remote"
                                        + " broker's certificate names its host; anyone in the path can pose as it");
                    }
                });
            case "bridge_tls_version" -> tlsVersion(line, d);
            default -> throw new IllegalArgumentException("not a bridge option: " + line.option());
        }
    }

    private <T> Optional<T> tls(ConfigLine line, Optional<T> value) {
        tlsLine = tlsLine.or(() -> Optional.of(line));
        return value;
    }

    private void addresses(ConfigLine line, Diagnostics d) {
        if (addressLine != null) {
            d.error(
                    line,
                    line.option() + ": connection " + name + " already has its addresses at " + addressLine.where()
                            + "; list them all on one line");
            return;
        }
        addressLine = line;
        BridgeValues.addresses(line, d).ifPresent(addresses::addAll);
    }

    /** Mosquitto reads these to the end of the line and refuses a second value. */
    private void string(ConfigLine line, Diagnostics d, String key) {
        ConfigLine first = stringLines.get(key);
        if (first != null) {
            d.error(line, line.option() + ": connection " + name + " already has a value at " + first.where());
        } else if (line.value().isEmpty()) {
            d.error(line, line.option() + ": expected a value, found nothing");
        } else {
            stringLines.put(key, line);
            strings.put(key, line.value());
        }
    }

    private void notificationTopic(ConfigLine line, Diagnostics d) {
        Optional<String> error =
                line.value().isEmpty() ? Optional.empty() : BridgeConfig.topicNameProblem(line.value());
        if (error.isPresent()) {
            d.error(line, "notification_topic: expected a topic name, found " + line.found() + ": " + error.get());
            return;
        }
        string(line, d, "notification_topic");
    }

    private void startType(ConfigLine line, Diagnostics d) {
        switch (line.value()) {
            case "automatic" -> startType = StartType.AUTOMATIC;
            case "lazy" -> startType = StartType.LAZY;
            case "once" -> startType = StartType.ONCE;
            case "manual" ->
                d.error(
                        line,
                        "start_type manual: not supported (nor by Mosquitto 2.0); expected"
                                + " automatic, lazy or once");
            default -> d.error(line, "start_type: expected automatic, lazy or once, found " + line.found());
        }
    }

    /** The lowest TLS version the bridge offers (Mosquitto's meaning); nothing below TLS 1.2 (RFC 8996). */
    private void tlsVersion(ConfigLine line, Diagnostics d) {
        tls(line, Optional.empty());
        switch (line.value()) {
            case "tlsv1.3" -> tlsVersion = Optional.of("TLSv1.3");
            case "tlsv1.2" -> tlsVersion = Optional.of("TLSv1.2");
            default ->
                d.error(
                        line,
                        "bridge_tls_version: expected tlsv1.3 or tlsv1.2 (nothing older is offered, RFC 8996),"
                                + " found " + line.found());
        }
    }

    String localClientId(String hostname) {
        String remote = Optional.ofNullable(strings.get("remote_clientid")).orElse(hostname + "." + name);
        return Optional.ofNullable(strings.get("local_clientid")).orElse("local." + remote);
    }

    /** What Mosquitto checks once the file is read, and the TLS options that only mean something together. */
    void validate(Diagnostics d) {
        String at = where + ": connection " + name + ": ";
        if (addresses.isEmpty() && addressLine == null) {
            d.error(at + "no address; expected 'address HOST[:PORT]'");
        }
        if (!topicSeen) {
            d.error(at + "no topic; expected at least one 'topic PATTERN ...' line");
        }
        if (tlsLine.isPresent() && !caGiven) {
            // Mosquitto silently connects without TLS then; a bridge meant to be encrypted must not.
            d.error(
                    tlsLine.get(),
                    tlsLine.get().option() + ": connection " + name
                            + " has no bridge_cafile or bridge_capath, without which it would not use TLS");
        }
        if (certfile.isPresent() != keyfile.isPresent()) {
            d.error(at
                    + (certfile.isPresent()
                            ? "bridge_certfile given without bridge_keyfile"
                            : "bridge_keyfile given without bridge_certfile")
                    + "; a client certificate needs both");
        }
        if (strings.containsKey("remote_password") && !strings.containsKey("remote_username")) {
            d.error(at + "remote_password given without remote_username");
        }
        if (strings.containsKey("local_password") && !strings.containsKey("local_username")) {
            d.error(at + "local_password given without local_username");
        }
    }

    /** Only called when no problem was found. */
    BridgeConfig build() {
        Optional<BridgeConfig.Tls> tls = cafile.isPresent() || capath.isPresent()
                ? Optional.of(new BridgeConfig.Tls(
                        cafile,
                        capath,
                        certfile,
                        keyfile,
                        insecure,
                        tlsVersion,
                        Optional.ofNullable(strings.get("bridge_alpn"))))
                : Optional.empty();
        return new BridgeConfig(
                name,
                where,
                addresses,
                roundRobin,
                topics,
                get("remote_clientid"),
                get("local_clientid"),
                new Credentials(get("remote_username"), get("remote_password")),
                new Credentials(get("local_username"), get("local_password")),
                cleanSession,
                localCleanSession,
                tryPrivate,
                notifications,
                notificationsLocalOnly,
                get("notification_topic"),
                keepalive,
                restart,
                protocolVersion,
                tls,
                startType,
                idleTimeout,
                threshold);
    }

    private Optional<String> get(String key) {
        return Optional.ofNullable(strings.get(key));
    }
}
