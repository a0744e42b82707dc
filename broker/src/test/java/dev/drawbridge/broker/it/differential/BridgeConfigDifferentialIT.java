package dev.drawbridge.broker.it.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drawbridge.broker.conf.ConfigException;
import dev.drawbridge.broker.conf.ConfigParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same bridge configuration files given to the real Mosquitto 2.0.11 (which has no {@code --test-config}: it is
 * started, and either serves its listener or exits naming the line) and to Drawbridge's parser. Where both refuse a
 * line, they must name the same one. The rows where Drawbridge is stricter on purpose are marked and listed in the
 * README's option table. The bridges point at 127.0.0.1:1, where nothing listens, so Mosquitto's attempts fail
 * harmlessly.
 */
class BridgeConfigDifferentialIT {

    /** Mosquitto's {@code Error found at FILE:LINE.} */
    private static final Pattern MOSQUITTO_LINE = Pattern.compile("Error found at .*:([0-9]+)\\.");

    /** Each file starts with MosquittoBroker's two lines (listener, allow_anonymous): row lines start at 3. */
    private static final int FIRST = 3;

    enum Verdict {
        BOTH_ACCEPT,
        BOTH_REFUSE,
        /** Mosquitto 2.0.11 accepts (raising the value or failing later); Drawbridge refuses at the line. */
        DRAWBRIDGE_STRICTER
    }

    static Stream<Arguments> files() {
        return Stream.of(
                row(Verdict.BOTH_ACCEPT, "minimal", "connection c", "address 127.0.0.1:1", "topic #"),
                row(
                        Verdict.BOTH_ACCEPT,
                        "openWB style",
                        "connection openwb",
                        "address 127.0.0.1:1",
                        "bridge_protocol_version mqttv311",
                        "try_private true",
                        "cleansession true",
                        "notifications false",
                        "remote_clientid openwb-bridge",
                        "topic openWB/# in 0",
                        "topic openWB/set/# out 2"),
                row(
                        Verdict.BOTH_ACCEPT,
                        "two bridges, several addresses, prefixes and placeholders",
                        "connection a",
                        "address 127.0.0.1:1 localhost:1",
                        "round_robin true",
                        "topic # both 1 house/ cloud/house/",
                        "topic \"\" in 0 local/status remote/status",
                        "keepalive_interval 30",
                        "restart_timeout 10 60",
                        "start_type lazy",
                        "idle_timeout 120",
                        "threshold 5",
                        "connection b",
                        "address 127.0.0.1:1",
                        "bridge_protocol_version mqttv50",
                        "remote_username u",
                        "remote_password p",
                        "topic sensors/+ out 0 \"\" garage/",
                        "notification_topic house/bridge/b"),
                row(Verdict.BOTH_REFUSE, "topic direction", "connection c", "address 127.0.0.1:1", "topic # up 0"),
                row(Verdict.BOTH_REFUSE, "topic QoS 3", "connection c", "address 127.0.0.1:1", "topic # out 3"),
                row(
                        Verdict.BOTH_REFUSE,
                        "\"\" pattern with one prefix",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic \"\" both 0 l/"),
                row(
                        Verdict.BOTH_REFUSE,
                        "prefix with a wildcard",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic # both 0 l/+/ r/"),
                row(Verdict.BOTH_REFUSE, "address before connection", "address 127.0.0.1:1"),
                row(
                        Verdict.BOTH_REFUSE,
                        "duplicate connection name",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "connection c"),
                row(Verdict.BOTH_REFUSE, "port 70000", "connection c", "address 127.0.0.1:70000", "topic #"),
                row(
                        Verdict.BOTH_REFUSE,
                        "a second address line",
                        "connection c",
                        "address 127.0.0.1:1",
                        "address 127.0.0.1:2",
                        "topic #"),
                row(
                        Verdict.BOTH_REFUSE,
                        "start_type manual",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "start_type manual"),
                row(
                        Verdict.BOTH_REFUSE,
                        "bridge_protocol_version mqttv5",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "bridge_protocol_version mqttv5"),
                row(
                        Verdict.BOTH_REFUSE,
                        "a second remote_clientid",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "remote_clientid a",
                        "remote_clientid b"),
                row(
                        Verdict.BOTH_REFUSE,
                        "restart_timeout cap below base",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "restart_timeout 30 10"),
                row(Verdict.BOTH_REFUSE, "no topic (checked after reading)", "connection c", "address 127.0.0.1:1"),
                row(
                        Verdict.DRAWBRIDGE_STRICTER,
                        "keepalive_interval 4 (Mosquitto: 5)",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "keepalive_interval 4"),
                row(
                        Verdict.DRAWBRIDGE_STRICTER,
                        "threshold 0 (Mosquitto: 1)",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic #",
                        "threshold 0"),
                row(
                        Verdict.DRAWBRIDGE_STRICTER,
                        "a pattern that is no filter (Mosquitto fails at SUBSCRIBE)",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic a/#/b out 0"),
                row(
                        Verdict.DRAWBRIDGE_STRICTER,
                        "QoS a word (Mosquitto's atoi: 0)",
                        "connection c",
                        "address 127.0.0.1:1",
                        "topic # out x"));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1}")
    @MethodSource("files")
    void mosquittoAndDrawbridgeAcceptAndRefuseTheSameBridgeFiles(
            Verdict verdict, String description, List<String> lines) throws Exception {
        Optional<String> mosquittoRefusal = mosquitto(lines);
        Path file = dir.resolve("mosquitto.conf"); // the file Mosquitto was given, unchanged
        ConfigException drawbridge = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(file));

        switch (verdict) {
            case BOTH_ACCEPT -> {
                assertThat(mosquittoRefusal).as("Mosquitto").isEmpty();
                assertThat(drawbridge).as("Drawbridge").isNull();
            }
            case BOTH_REFUSE -> {
                assertThat(mosquittoRefusal).as("Mosquitto").isPresent();
                assertThat(drawbridge).as("Drawbridge").isNotNull();
                Matcher m = MOSQUITTO_LINE.matcher(mosquittoRefusal.orElseThrow());
                if (m.find()) {
                    // Mosquitto names the line only for errors found while reading; so does Drawbridge's first.
                    assertThat(drawbridge.problems().get(0))
                            .as("Mosquitto: %s", mosquittoRefusal.get())
                            .startsWith(file + ":" + m.group(1) + ": ");
                }
            }
            case DRAWBRIDGE_STRICTER -> {
                assertThat(mosquittoRefusal).as("Mosquitto").isEmpty();
                assertThat(drawbridge).as("Drawbridge").isNotNull();
                assertThat(drawbridge.problems().get(0)).startsWith(file + ":" + (FIRST + lines.size() - 1) + ": ");
            }
        }
    }

    /** Empty when Mosquitto started and served its listener with this file; else its log, naming the error. */
    private Optional<String> mosquitto(List<String> lines) {
        try (MosquittoBroker broker = MosquittoBroker.start(dir, lines)) {
            assertThat(broker.port()).isPositive();
            return Optional.empty();
        } catch (AssertionError e) {
            String message = String.valueOf(e.getMessage());
            assertThat(message).as("Mosquitto must have exited, not timed out").contains("mosquitto exited");
            return Optional.of(message);
        }
    }

    private static Arguments row(Verdict verdict, String description, String... lines) {
        return Arguments.of(verdict, description, List.of(lines));
    }
}
