package dev.drawbridge.broker.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.testing.ClientProcess;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zigbee2MQTT's client, MQTT.js ({@code mqtt} from npm, pinned in {@code src/test/js/package.json}; {@code .ci/run}
 * installs it with {@code npm ci}), at MQTT 5 with a message expiry on a retained device state: delivered live with its
 * expiry, read back while fresh with the rest of it, and never once it has passed, while a retained message without
 * expiry still is; and a reader that allows topic aliases gets every topic right from the aliases the broker sets.
 * Run by {@code node} with the script {@code clients/mqttjs_client.js}. A missing {@code node} or MQTT.js fails the
 * test with what to install.
 */
class MqttJsV5IT {

    /** Where {@code npm ci --prefix broker/src/test/js} puts MQTT.js; failsafe runs in the module's folder. */
    private static final Path NODE_MODULES = Path.of("src/test/js/node_modules").toAbsolutePath();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long EXPIRY = 3;
    private static final String LAMP = "zigbee2mqtt/0x00158d0001a2b3c4";
    private static final String BRIDGE = "zigbee2mqtt/bridge/state";

    @TempDir
    Path dir;

    private final List<ClientProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(ClientProcess::close);
    }

    @Test
    void aRetainedStateWithAMessageExpiryIsDeliveredWhileFreshAndNeverAfter() throws Exception {
        assertThat(NODE_MODULES.resolve("mqtt/package.json"))
                .as("MQTT.js: run npm ci --prefix broker/src/test/js (.ci/run does)")
                .exists();
        Path script = script();
        try (Drawbridge broker = DrawbridgeBroker.start(dir.resolve("broker"), List.of())) {
            int port = broker.port();
            // The control: the bridge's retained state, without expiry.
            assertThat(run(script, port, "pub", BRIDGE, "{\"state\":\"online\"}", "-"))
                    .contains("CONNACK 0", "PUBACK ok");
            ClientProcess live = read(script, port, LAMP);

            assertThat(run(script, port, "pub", LAMP, "{\"state\":\"ON\"}", Long.toString(EXPIRY)))
                    .contains("CONNACK 0", "PUBACK ok");
            // The broker received it before it acknowledged it: its expiry ends at the latest EXPIRY s from here.
            Instant expiredBy = Instant.now().plusSeconds(EXPIRY).plusMillis(250);

            live.awaitLine(("MESSAGE " + LAMP + " {\"state\":\"ON\"} retain=0 expiry=" + EXPIRY)::equals, WAIT);
            ClientProcess fresh = read(script, port, LAMP, BRIDGE);
            fresh.awaitLine(l -> l.startsWith("MESSAGE " + BRIDGE), WAIT);
            assertThat(messages(fresh))
                    .as("read while fresh: the state with what is left of its expiry, then the control")
                    .hasSize(2)
                    .first()
                    .satisfies(l ->
                            assertThat(l).matches("MESSAGE " + LAMP + " \\{\"state\":\"ON\"} retain=1 expiry=[1-3]"));

            Awaitility.await("the message expiry interval to pass")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Instant.now().isAfter(expiredBy));
            ClientProcess stale = read(script, port, LAMP, BRIDGE);
            // The lamp's filter is subscribed first: its retained message, had it been sent, would precede the control.
            stale.awaitLine(l -> l.startsWith("MESSAGE " + BRIDGE), WAIT);
            assertThat(messages(stale))
                    .as("read after the expiry: only the control")
                    .containsExactly("MESSAGE " + BRIDGE + " {\"state\":\"online\"} retain=1 expiry=none");
        }
    }

    @Test
    void aReaderThatAllowsTopicAliasesGetsEveryTopicFromThem() throws Exception {
        assertThat(NODE_MODULES.resolve("mqtt/package.json"))
                .as("MQTT.js: run npm ci --prefix broker/src/test/js (.ci/run does)")
                .exists();
        Path script = script();
        try (Drawbridge broker = DrawbridgeBroker.start(dir.resolve("broker"), List.of())) {
            int port = broker.port();
            ClientProcess reader = ClientProcess.start(command(script, port, "aliases", "2", "zigbee2mqtt/#"), dir);
            processes.add(reader);
            reader.awaitLine(l -> l.startsWith("SUBACK ") || l.startsWith("ERROR"), WAIT);
            assertThat(reader.stdout()).as("%s", reader.output()).contains("SUBACK zigbee2mqtt/# 1");
            Mqtt5BlockingClient publisher = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier("alias-publisher")
                    .serverHost("127.0.0.1")
                    .serverPort(port)
                    .buildBlocking();
            publisher.connect();
            try {
                // Three devices, twice each: two aliases for the first two, the third always in full.
                for (int round = 1; round <= 2; round++) {
                    for (String device : List.of("lamp", "plug", "door")) {
                        publisher
                                .publishWith()
                                .topic("zigbee2mqtt/" + device)
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .payload((device + round).getBytes(StandardCharsets.UTF_8))
                                .send();
                    }
                }
            } finally {
                publisher.disconnect();
            }

            reader.awaitLine(l -> l.startsWith("MESSAGE zigbee2mqtt/door door2"), WAIT);
            assertThat(messages(reader))
                    .containsExactly(
                            "MESSAGE zigbee2mqtt/lamp lamp1 retain=0 expiry=none alias=1",
                            "MESSAGE zigbee2mqtt/plug plug1 retain=0 expiry=none alias=2",
                            "MESSAGE zigbee2mqtt/door door1 retain=0 expiry=none alias=none",
                            "MESSAGE zigbee2mqtt/lamp lamp2 retain=0 expiry=none alias=1",
                            "MESSAGE zigbee2mqtt/plug plug2 retain=0 expiry=none alias=2",
                            "MESSAGE zigbee2mqtt/door door2 retain=0 expiry=none alias=none");
        }
    }

    /** Runs the script to its end and returns its output. */
    private List<String> run(Path script, int port, String... args) throws Exception {
        try (ClientProcess process = ClientProcess.start(command(script, port, args), dir)) {
            int status = process.waitFor(WAIT);
            assertThat(status)
                    .as("node %s: %s", List.of(args), process.output())
                    .isZero();
            return process.stdout();
        }
    }

    /** Starts a reader and waits until every filter has its SUBACK, granting QoS 1. */
    private ClientProcess read(Path script, int port, String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("read"));
        args.addAll(List.of(filters));
        ClientProcess reader = ClientProcess.start(command(script, port, args.toArray(String[]::new)), dir);
        processes.add(reader);
        for (String filter : filters) {
            reader.awaitLine(l -> l.startsWith("SUBACK " + filter + " ") || l.startsWith("ERROR"), WAIT);
            assertThat(reader.stdout()).as("%s", reader.output()).contains("SUBACK " + filter + " 1");
        }
        return reader;
    }

    private static List<String> messages(ClientProcess process) {
        return process.stdout().stream().filter(l -> l.startsWith("MESSAGE ")).toList();
    }

    private List<String> command(Path script, int port, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "NODE_PATH=" + NODE_MODULES, "node", script.toString()));
        command.add(Integer.toString(port));
        command.addAll(List.of(args));
        return command;
    }

    private Path script() throws Exception {
        Path script = dir.resolve("mqttjs_client.js");
        try (InputStream in = getClass().getResourceAsStream("/clients/mqttjs_client.js")) {
            assertThat(in).as("test resource clients/mqttjs_client.js").isNotNull();
            Files.copy(in, script);
        }
        return script;
    }
}
