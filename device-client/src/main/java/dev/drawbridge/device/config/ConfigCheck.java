package dev.drawbridge.device.config;

import dev.drawbridge.device.door.DoorState;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks a bound {@link DeviceConfig} and lists every problem as {@code field: reason}. */
final class ConfigCheck {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9-]{1,63})*\\.?");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_BCM_GPIO = 27;

    private final List<String> problems = new ArrayList<>();
    private final DeviceConfig config;

    private ConfigCheck(DeviceConfig config) {
        this.config = config;
    }

    static List<String> check(DeviceConfig config) {
        ConfigCheck check = new ConfigCheck(config);
        check.mqtt(config.mqtt());
        check.tls(config.tls());
        check.door(config.door());
        check.commands(config.commands());
        check.hardware(config.relay(), config.sensors(), config.simulation());
        check.homeAssistant(config.homeAssistant());
        return List.copyOf(check.problems);
    }

    private void mqtt(MqttConfig mqtt) {
        if (mqtt.discover()) {
            if (!mqtt.host().isBlank()) {
                problems.add("mqtt.host: leave it out with mqtt.discover: true (the broker is found by mDNS), found '"
                        + mqtt.host() + "'");
            }
        } else if (mqtt.host().isBlank()) {
            problems.add("mqtt.host: required, the broker's host name (e.g. mqtt.local), or mqtt.discover: true");
        } else if (!HOST.matcher(mqtt.host()).matches()
                && !IP_LITERAL.matcher(mqtt.host()).matches()) {
            problems.add("mqtt.host: expected a host name or IP address without scheme or port, found '" + mqtt.host()
                    + "'");
        }
        if (mqtt.port() < 1 || mqtt.port() > 65535) {
            problems.add("mqtt.port: expected 1 to 65535, found " + mqtt.port());
        }
        if (mqtt.password() != null && mqtt.username() == null) {
            problems.add("mqtt.password: needs mqtt.username (MQTT 3.1.1 sends no password without a user name)");
        }
        String clientId = config.clientId();
        if (clientId.isEmpty() || clientId.length() > 65535) {
            problems.add("mqtt.client-id: expected 1 to 65535 characters, found " + clientId.length());
        }
        range("mqtt.keep-alive", mqtt.keepAlive(), Duration.ofSeconds(1), Duration.ofSeconds(65535));
        range("mqtt.reconnect-initial", mqtt.reconnectInitial(), Duration.ofMillis(100), Duration.ofMinutes(10));
        range("mqtt.reconnect-max", mqtt.reconnectMax(), mqtt.reconnectInitial(), Duration.ofHours(1));
        range("mqtt.discover-timeout", mqtt.discoverTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        // Whole seconds: MQTT 5's message expiry interval counts seconds.
        range("mqtt.event-expiry", mqtt.eventExpiry(), Duration.ofSeconds(1), Duration.ofDays(1));
        if (mqtt.eventExpiry().compareTo(Duration.ofSeconds(1)) > 0
                && mqtt.eventExpiry().toMillisPart() != 0) {
            problems.add("mqtt.event-expiry: expected whole seconds (MQTT 5 message expiry counts seconds), found "
                    + DurationText.format(mqtt.eventExpiry()));
        }
    }

    private void tls(TlsConfig tls) {
        requiredFile("tls.certificate", tls.certificate());
        Path key = requiredFile("tls.key", tls.key());
        if (key != null) {
            ownerOnly("tls.key", key);
        }
        if (tls.ca() != null) {
            requiredFile("tls.ca", tls.ca());
        }
        pin("tls.fingerprint-sha256", tls.fingerprintSha256(), FingerprintAlgorithm.SHA256);
        pin("tls.fingerprint-sha1", tls.fingerprintSha1(), FingerprintAlgorithm.SHA1);
        if (tls.ca() == null && tls.fingerprintSha256() == null && tls.fingerprintSha1() == null) {
            problems.add("tls: expected ca, fingerprint-sha256 or fingerprint-sha1 to check the broker, found none");
        }
    }

    private void door(DoorConfig door) {
        if (!NODE_ID.matcher(door.nodeId()).matches()) {
            problems.add("door.node-id: expected 1 to 64 letters, digits, '_' or '-', found '" + door.nodeId() + "'");
        }
        if (door.name().isBlank()) {
            problems.add("door.name: must not be empty");
        }
        String base = door.topicBase();
        if (base.isEmpty() || base.contains("+") || base.contains("#") || base.endsWith("/") || base.startsWith("$")) {
            problems.add("door.base-topic: expected a topic without wildcards, leading '$' or trailing '/', found '"
                    + base + "'");
        }
        range("door.travel-time", door.travelTime(), Duration.ofMillis(100), Duration.ofMinutes(10));
        if (door.initialState() != DoorState.UNKNOWN
                && door.initialState() != DoorState.CLOSED
                && door.initialState() != DoorState.OPEN) {
            problems.add("door.initial-state: expected unknown, closed or open, found "
                    + door.initialState().payload());
        }
    }

    private void commands(CommandConfig commands) {
        range("commands.settle", commands.settle(), Duration.ZERO, Duration.ofMinutes(10));
        range("commands.min-gap", commands.minGap(), Duration.ZERO, Duration.ofMinutes(10));
        range("commands.duplicate-window", commands.duplicateWindow(), Duration.ZERO, Duration.ofMinutes(10));
        range("commands.max-age", commands.maxAge(), Duration.ofSeconds(1), Duration.ofMinutes(10));
    }

    private void hardware(RelayConfig relay, SensorConfig sensors, SimulationConfig simulation) {
        range("relay.pulse", relay.pulse(), RelayConfig.MIN_PULSE, RelayConfig.MAX_PULSE);
        range("sensors.debounce", sensors.debounce(), Duration.ZERO, Duration.ofSeconds(1));
        range("simulation.travel-time", simulation.travelTime(), Duration.ofMillis(100), Duration.ofMinutes(10));
        if (simulation.startState() != DoorState.CLOSED && simulation.startState() != DoorState.OPEN) {
            problems.add("simulation.start-state: expected closed or open, found "
                    + simulation.startState().payload());
        }
        if (relay.backend() == RelayConfig.Backend.SIMULATED) {
            for (String field : List.of("sensors.closed-pin", "sensors.open-pin")) {
                Integer pin = field.endsWith("closed-pin") ? sensors.closedPin() : sensors.openPin();
                if (pin != null) {
                    problems.add(
                            field + ": only with relay.backend gpio; the simulated door has simulation.reed-switches");
                }
            }
            return;
        }
        if (relay.pin() == null) {
            problems.add("relay.pin: required with relay.backend gpio, the BCM GPIO number driving the relay");
        } else {
            gpio("relay.pin", relay.pin());
            if (relay.pin() <= 8 && !relay.allowPullUpPins()) {
                problems.add("relay.pin: GPIO " + relay.pin() + " is pulled high at boot and could click the relay;"
                        + " use GPIO 9 to 27, or set relay.allow-pull-up-pins: true");
            }
        }
        if (sensors.closedPin() != null) {
            gpio("sensors.closed-pin", sensors.closedPin());
            distinct("sensors.closed-pin", sensors.closedPin(), relay.pin(), "relay.pin");
        }
        if (sensors.openPin() != null) {
            gpio("sensors.open-pin", sensors.openPin());
            distinct("sensors.open-pin", sensors.openPin(), relay.pin(), "relay.pin");
            distinct("sensors.open-pin", sensors.openPin(), sensors.closedPin(), "sensors.closed-pin");
        }
    }

    private void homeAssistant(HomeAssistantConfig homeAssistant) {
        String prefix = homeAssistant.prefix();
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#") || prefix.endsWith("/")) {
            problems.add("home-assistant.prefix: expected a topic without wildcards or trailing '/', found '" + prefix
                    + "'");
        }
        String status = homeAssistant.birthTopic();
        if (status.isEmpty() || status.contains("+") || status.contains("#")) {
            problems.add("home-assistant.status-topic: expected a topic without wildcards, found '" + status + "'");
        }
    }

    private void range(String field, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(field + ": expected " + DurationText.format(min) + " to " + DurationText.format(max)
                    + ", found " + DurationText.format(value));
        }
    }

    private void gpio(String field, int pin) {
        if (pin < 0 || pin > MAX_BCM_GPIO) {
            problems.add(field + ": expected a BCM GPIO number 0 to " + MAX_BCM_GPIO + ", found " + pin);
        }
    }

    private void distinct(String field, int pin, @Nullable Integer other, String otherField) {
        if (other != null && other == pin) {
            problems.add(field + ": GPIO " + pin + " is already used by " + otherField);
        }
    }

    private void pin(String field, @Nullable String text, FingerprintAlgorithm algorithm) {
        if (text != null && FingerprintPin.parse(algorithm, text).isEmpty()) {
            problems.add(field + ": expected " + FingerprintPin.hexDigits(algorithm)
                    + " hex digits (AB:CD:.., AB CD .. or abcd..), found '" + text + "'");
        }
    }

    private @Nullable Path requiredFile(String field, @Nullable String name) {
        if (name == null || name.isBlank()) {
            problems.add(field + ": required, a file name");
            return null;
        }
        Path file = config.resolve(name);
        if (!Files.isRegularFile(file)) {
            problems.add(field + ": " + file + ": no such file");
            return null;
        }
        if (!Files.isReadable(file)) {
            problems.add(field + ": " + file + ": not readable by this user");
            return null;
        }
        return file;
    }

    private void ownerOnly(String field, Path key) {
        PosixFileAttributeView view = Files.getFileAttributeView(key, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: nothing to check
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)
                    || permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                problems.add(field + ": " + key + ": private key is accessible by group or others ("
                        + PosixFilePermissions.toString(permissions) + "); run chmod 600 on it");
            }
        } catch (IOException e) {
            problems.add(field + ": " + key + ": cannot read its permissions (" + e.getMessage() + ")");
        }
    }
}
