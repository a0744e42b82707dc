package dev.drawbridge.device.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.device.TestPki;
import dev.drawbridge.device.door.DoorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private static final String VALID = """
            mqtt:
              host: mqtt.local
            tls:
              certificate: device.crt
              key: device.key
              ca: ca.crt
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki.create(dir);
    }

    private static Path write(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "device", ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> problems(String yaml) throws Exception {
        Path file = write(yaml);
        try {
            ConfigLoader.load(file);
        } catch (ConfigException e) {
            return e.problems().stream()
                    .map(problem -> problem.replace(file.toString(), "FILE").replace(dir.toString(), "DIR"))
                    .toList();
        }
        return List.of();
    }

    @Test
    void aMinimalFileTakesTheDocumentedDefaults() throws Exception {
        DeviceConfig config = ConfigLoader.load(write(VALID));

        assertThat(config.mqtt().port()).isEqualTo(8883);
        assertThat(config.clientId()).isEqualTo("drawbridge-garage");
        assertThat(config.door().topicBase()).isEqualTo("drawbridge/garage");
        assertThat(config.door().initialState()).isEqualTo(DoorState.UNKNOWN);
        assertThat(config.commands()).isEqualTo(CommandConfig.defaults());
        assertThat(config.commands().settle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.commands().minGap()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.relay().backend()).isEqualTo(RelayConfig.Backend.SIMULATED);
        assertThat(config.relay().pulse()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.homeAssistant().birthTopic()).isEqualTo("homeassistant/status");
        assertThat(config.resolve("ca.crt")).isEqualTo(dir.resolve("ca.crt"));
        assertThat(config.mqtt().protocol()).isEqualTo(MqttProtocol.AUTO);
        assertThat(config.mqtt().eventExpiry()).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "protocol: {0}")
    @MethodSource
    void theProtocolIsWrittenAsItsVersion(String written, MqttProtocol expected) throws Exception {
        DeviceConfig config =
                ConfigLoader.load(write(VALID.replace("host: mqtt.local", "host: mqtt.local\n  protocol: " + written)));

        assertThat(config.mqtt().protocol()).isEqualTo(expected);
    }

    static Stream<Arguments> theProtocolIsWrittenAsItsVersion() {
        return Stream.of(
                Arguments.of("auto", MqttProtocol.AUTO),
                Arguments.of("5", MqttProtocol.MQTT_5),
                Arguments.of("\"5\"", MqttProtocol.MQTT_5),
                Arguments.of("3.1.1", MqttProtocol.MQTT_3_1_1));
    }

    @Test
    void discoverTakesTheBrokerFromMdnsAndNeedsNoHost() throws Exception {
        DeviceConfig config =
                ConfigLoader.load(write(VALID.replace("host: mqtt.local", "discover: true\n  discover-timeout: 3s")));

        assertThat(config.mqtt().discover()).isTrue();
        assertThat(config.mqtt().discoverTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.mqtt().host()).isEmpty();
    }

    @Test
    void discoverIsOffByDefault() throws Exception {
        DeviceConfig config = ConfigLoader.load(write(VALID));

        assertThat(config.mqtt().discover()).isFalse();
        assertThat(config.mqtt().discoverTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theExampleFileIsValid() throws Exception {
        Path example = Path.of("device.example.yml");
        Path copy = dir.resolve("example.yml");
        Files.copy(example, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        DeviceConfig config = ConfigLoader.load(copy);

        assertThat(config.mqtt().host()).isEqualTo("mqtt.local");
        assertThat(config.relay().backend()).isEqualTo(RelayConfig.Backend.SIMULATED);
        assertThat(config.mqtt().protocol()).isEqualTo(MqttProtocol.AUTO);
        assertThat(config.mqtt().eventExpiry()).isEqualTo(MqttConfig.DEFAULT_EVENT_EXPIRY);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of(
                        "an unknown option",
                        VALID + "door:\n  nodeid: x\n",
                        List.of(
                                "FILE: door.nodeid: unknown option (known: base-topic, initial-state, name, node-id, travel-time)")),
                Arguments.of(
                        "a word for a number",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  port: many"),
                        List.of("FILE: mqtt.port: expected a whole number, found 'many' (line 3)")),
                Arguments.of(
                        "a duration without unit",
                        VALID + "relay:\n  pulse: 500\n",
                        List.of(
                                "FILE: relay.pulse: expected a duration with a unit like 500ms, 1.5s or 2m, found '500' (line 8)")),
                Arguments.of(
                        "an unknown backend",
                        VALID + "relay:\n  backend: wifi\n",
                        List.of("FILE: relay.backend: expected one of simulated, gpio, found 'wifi' (line 8)")),
                Arguments.of(
                        "a duplicate key",
                        VALID + "mqtt:\n  host: other\n",
                        List.of("FILE: not valid YAML: Duplicate field 'mqtt' (line 7)")),
                Arguments.of(
                        "a pulse too short",
                        VALID + "relay:\n  pulse: 50ms\n",
                        List.of("FILE: relay.pulse: expected 100ms to 2s, found 50ms")),
                Arguments.of(
                        "an empty file",
                        "",
                        List.of(
                                "FILE: mqtt.host: required, the broker's host name (e.g. mqtt.local), or mqtt.discover: true",
                                "FILE: tls.certificate: required, a file name",
                                "FILE: tls.key: required, a file name",
                                "FILE: tls: expected ca, fingerprint-sha256 or fingerprint-sha1 to check the broker, found none")),
                Arguments.of(
                        "a host with a scheme",
                        VALID.replace("host: mqtt.local", "host: mqtts://mqtt.local"),
                        List.of(
                                "FILE: mqtt.host: expected a host name or IP address without scheme or port, found 'mqtts://mqtt.local'")),
                Arguments.of(
                        "discover with a host as well",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  discover: true"),
                        List.of(
                                "FILE: mqtt.host: leave it out with mqtt.discover: true (the broker is found by mDNS), found 'mqtt.local'")),
                Arguments.of(
                        "discover as a word",
                        VALID.replace("host: mqtt.local", "discover: yes please"),
                        List.of("FILE: mqtt.discover: expected true or false, found 'yes please' (line 2)")),
                Arguments.of(
                        "a discover timeout too short",
                        VALID.replace("host: mqtt.local", "discover: true\n  discover-timeout: 100ms"),
                        List.of("FILE: mqtt.discover-timeout: expected 1s to 300s, found 100ms")),
                Arguments.of(
                        "a missing CA file",
                        VALID.replace("ca: ca.crt", "ca: nowhere.crt"),
                        List.of("FILE: tls.ca: DIR/nowhere.crt: no such file")),
                Arguments.of(
                        "a short fingerprint",
                        VALID + "  fingerprint-sha256: AB:CD\n",
                        List.of(
                                "FILE: tls.fingerprint-sha256: expected 64 hex digits (AB:CD:.., AB CD .. or abcd..), found 'AB:CD'")),
                Arguments.of(
                        "a GPIO relay without pin",
                        VALID + "relay:\n  backend: gpio\n",
                        List.of(
                                "FILE: relay.pin: required with relay.backend gpio, the BCM GPIO number driving the relay")),
                Arguments.of(
                        "a relay on a pulled-up pin",
                        VALID + "relay:\n  backend: GPIO\n  pin: 4\n",
                        List.of(
                                "FILE: relay.pin: GPIO 4 is pulled high at boot and could click the relay; use GPIO 9 to 27, or set relay.allow-pull-up-pins: true")),
                Arguments.of(
                        "a sensor on the relay pin",
                        VALID + "relay:\n  backend: gpio\n  pin: 17\nsensors:\n  closed-pin: 17\n  open-pin: 40\n",
                        List.of(
                                "FILE: sensors.closed-pin: GPIO 17 is already used by relay.pin",
                                "FILE: sensors.open-pin: expected a BCM GPIO number 0 to 27, found 40")),
                Arguments.of(
                        "sensor pins on the simulated door",
                        VALID + "sensors:\n  open-pin: 23\n",
                        List.of(
                                "FILE: sensors.open-pin: only with relay.backend gpio; the simulated door has simulation.reed-switches")),
                Arguments.of(
                        "a password without user",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  password: secret"),
                        List.of(
                                "FILE: mqtt.password: needs mqtt.username (MQTT 3.1.1 sends no password without a user name)")),
                Arguments.of(
                        "protocol level 4 (3.1.1 is written as such)",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  protocol: 4"),
                        List.of("FILE: mqtt.protocol: expected auto, 5 or 3.1.1, found '4' (line 3)")),
                Arguments.of(
                        "protocol 3.1, which the device does not speak",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  protocol: 3.1"),
                        List.of("FILE: mqtt.protocol: expected auto, 5 or 3.1.1, found '3.1' (line 3)")),
                Arguments.of(
                        "an event expiry below a second",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  event-expiry: 500ms"),
                        List.of("FILE: mqtt.event-expiry: expected 1s to 86400s, found 500ms")),
                Arguments.of(
                        "an event expiry in part seconds",
                        VALID.replace("host: mqtt.local", "host: mqtt.local\n  event-expiry: 1.5s"),
                        List.of(
                                "FILE: mqtt.event-expiry: expected whole seconds (MQTT 5 message expiry counts seconds), found 1.5s")),
                Arguments.of(
                        "a wildcard in the base topic",
                        VALID + "door:\n  base-topic: garage/+\n",
                        List.of(
                                "FILE: door.base-topic: expected a topic without wildcards, leading '$' or trailing '/', found 'garage/+'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void badFiles(String description, String yaml, List<String> expected) throws Exception {
        assertThat(problems(yaml)).containsExactlyElementsOf(expected);
    }

    @Test
    void aKeyReadableByOthersIsRefused() throws Exception {
        Path key = dir.resolve("open.key");
        Files.copy(dir.resolve("device.key"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(problems(VALID.replace("key: device.key", "key: open.key")))
                .containsExactly(
                        "FILE: tls.key: DIR/open.key: private key is accessible by group or others (rw-r--r--);"
                                + " run chmod 600 on it");
    }

    @Test
    void aMissingFileSaysSo() {
        Path missing = dir.resolve("missing.yml");

        assertThatThrownBy(() -> ConfigLoader.load(missing)).hasMessage(missing + ": cannot read: no such file");
    }
}
