package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static dev.drawbridge.device.DeviceFixture.COMMAND;
import static dev.drawbridge.device.DeviceFixture.EVENT;
import static dev.drawbridge.device.DeviceFixture.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which MQTT version the device speaks, seen from the broker's side: its "New client connected ... (p5, ...)" line
 * names the protocol of every accepted CONNECT (p5 is MQTT 5, p2 is 3.1.1), as Mosquitto's does. The device runs as
 * its jar, so its own log is read as a user would read it.
 */
class ProtocolIT {

    private static final Pattern CONNECTED =
            Pattern.compile("New client connected from \\S+ as drawbridge-garage \\((p\\d)");
    private static final String FALLBACK = "falling back to MQTT 3.1.1";
    private static final String ONLY_3_1_1 = TestBroker.IDENTITY_AS_USERNAME + "accept_protocol_versions 3,4\n";
    private static final String LEVEL_5_REFUSED = "protocol level 5 not in accept_protocol_versions";

    @TempDir
    static Path dir;

    private static TestPki pki;

    private @Nullable TestBroker broker;
    /** Where this test's broker started in the class's shared broker log. */
    private int logStart;

    private @Nullable Process device;
    private final List<MosquittoClients.Subscription> subscriptions = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        stopDevice();
        subscriptions.forEach(MosquittoClients.Subscription::close);
        if (broker != null) {
            broker.close();
        }
    }

    private TestBroker startBroker(String tlsOptions, String acl) throws Exception {
        return startBroker(TestBroker.kind(), tlsOptions, acl);
    }

    private TestBroker startBroker(TestBroker.Kind kind, String tlsOptions, String acl) throws Exception {
        logStart = Files.exists(pki.file("broker.log"))
                ? Files.readString(pki.file("broker.log")).length()
                : 0;
        broker = TestBroker.start(pki, kind, tlsOptions, acl);
        return broker;
    }

    private MosquittoClients.Subscription watch(TestBroker running) throws Exception {
        MosquittoClients.Subscription watch =
                MosquittoClients.plain(running.plainPort()).subscribe(STATE, AVAILABILITY, EVENT);
        subscriptions.add(watch);
        await().atMost(Duration.ofSeconds(10)).until(watch::subscribed);
        return watch;
    }

    /** The device jar on the test config with {@code mqtt} lines added, logging at {@code level}. */
    private Path startDevice(TestBroker running, String mqtt, String level) throws Exception {
        return startDevice(running.tlsPort(), mqtt, level);
    }

    private Path startDevice(int port, String mqtt, String level) throws Exception {
        DeviceFixture fixture = new DeviceFixture(pki, port);
        Path config = fixture.write(fixture.yaml(mqtt, DeviceFixture.BY_CA, DeviceFixture.FAST));
        Path log = Files.createTempFile(pki.dir, "device", ".log");
        device = DeviceFixture.startJar(config, log, level);
        return log;
    }

    private void stopDevice() throws InterruptedException {
        if (device != null) {
            device.destroy();
            if (!device.waitFor(10, TimeUnit.SECONDS)) {
                device.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            device = null;
        }
    }

    /** The protocol of each CONNECT the broker accepted from the device, in order: {@code p5} or {@code p2}. */
    private List<String> levels(TestBroker running) {
        List<String> levels = new ArrayList<>();
        Matcher matcher = CONNECTED.matcher(brokerLog(running));
        while (matcher.find()) {
            levels.add(matcher.group(1));
        }
        return levels;
    }

    /** What this test's broker logged. */
    private String brokerLog(TestBroker running) {
        return running.log().substring(logStart);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static String read(Path log) throws Exception {
        return Files.readString(log);
    }

    /** OPEN from mosquitto_pub moves the (simulated) door: the device acted on it and the state left closed. */
    private static void openTheDoor(TestBroker running, MosquittoClients.Subscription watch) throws Exception {
        MosquittoClients.plain(running.plainPort()).publish(COMMAND, false, "OPEN");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(watch.payloads(STATE)).contains("opening"));
        assertThat(watch.payloads(EVENT)).singleElement().asString().contains("\"result\":\"pulsed\"");
    }

    @Test
    void byDefaultTheDeviceSpeaksMqtt5AndOpensTheDoor() throws Exception {
        TestBroker running = startBroker(TestBroker.IDENTITY_AS_USERNAME, TestBroker.ACL);
        MosquittoClients.Subscription watch = watch(running);
        Path log = startDevice(running, "", "INFO");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> watch.payloads(AVAILABILITY).contains("online"));

        openTheDoor(running, watch);

        assertThat(levels(running)).as("broker log:%n%s", brokerLog(running)).containsExactly("p5");
        assertThat(read(log))
                .contains("Connected to localhost:" + running.tlsPort() + " as drawbridge-garage (MQTT 5)")
                .doesNotContain(FALLBACK);
    }

    /**
     * A broker that refuses MQTT 5 (Drawbridge with {@code accept_protocol_versions 3,4}: CONNACK 0x84) is spoken to in
     * MQTT 3.1.1, once asked; the reconnect after a broker restart goes straight to 3.1.1.
     */
    @Test
    void aBrokerThatRefusesMqtt5GetsMqtt311OnceAskedAlsoAfterItRestarts() throws Exception {
        assumeTrue(TestBroker.kind() == TestBroker.Kind.DRAWBRIDGE, "Mosquitto 2.0.11 has no accept_protocol_versions");
        TestBroker running = startBroker(ONLY_3_1_1, TestBroker.ACL);
        MosquittoClients.Subscription watch = watch(running);
        Path log = startDevice(running, "", "INFO");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> watch.payloads(AVAILABILITY).contains("online"));

        openTheDoor(running, watch);

        assertThat(levels(running)).as("broker log:%n%s", brokerLog(running)).containsExactly("p2");
        assertThat(count(brokerLog(running), LEVEL_5_REFUSED)).isEqualTo(1);
        assertThat(read(log))
                .contains("localhost:" + running.tlsPort() + " does not speak MQTT 5 (refused: CONNACK 0x84 unsupported"
                        + " protocol version): " + FALLBACK + " until the device restarts")
                .contains("as drawbridge-garage (MQTT 3.1.1)");
        assertThat(count(read(log), FALLBACK)).isEqualTo(1);

        running.stop();
        running.startProcess();

        await().atMost(Duration.ofSeconds(30)).until(() -> levels(running).size() == 2);
        assertThat(levels(running)).as("broker log:%n%s", brokerLog(running)).containsExactly("p2", "p2");
        assertThat(count(brokerLog(running), LEVEL_5_REFUSED))
                .as("no MQTT 5 attempt after the restart")
                .isEqualTo(1);
        assertThat(count(read(log), FALLBACK)).isEqualTo(1);
    }

    /**
     * The real Mosquitto 2.0.11 behind {@link Mqtt5ClosingGate}, which closes MQTT 5 connections before any CONNACK as
     * brokers without MQTT 5 did: the device falls back once, reaches Mosquitto at MQTT 3.1.1, and the door opens.
     */
    @Test
    void mosquittoBehindAGateThatClosesMqtt5ConnectionsIsReachedAtMqtt311() throws Exception {
        TestBroker running = startBroker(TestBroker.Kind.MOSQUITTO, TestBroker.IDENTITY_AS_USERNAME, TestBroker.ACL);
        try (Mqtt5ClosingGate gate = Mqtt5ClosingGate.start(pki, running.tlsPort())) {
            MosquittoClients.Subscription watch = watch(running);
            Path log = startDevice(gate.port(), "", "INFO");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> watch.payloads(AVAILABILITY).contains("online"));

            openTheDoor(running, watch);

            assertThat(gate.levels()).as("CONNECT protocol levels at the gate").containsExactly(5, 4);
            assertThat(levels(running))
                    .as("broker log:%n%s", brokerLog(running))
                    .containsExactly("p2");
            assertThat(read(log))
                    .contains("localhost:" + gate.port() + " does not speak MQTT 5 (Server closed connection without"
                            + " DISCONNECT.): " + FALLBACK);
            assertThat(count(read(log), FALLBACK)).isEqualTo(1);
        }
    }

    /** A wrong password is refused by its own CONNACK code, logged as such, and never taken for an old broker. */
    @Test
    void aWrongPasswordIsLoggedWithItsReasonCodeAndIsNoReasonToFallBack() throws Exception {
        Path passwords = pki.file("passwd");
        Process passwd = new ProcessBuilder(TestBroker.drawbridgeCommand(
                        "passwd", "-c", "-b", passwords.toString(), "garage", "right-password"))
                .redirectErrorStream(true)
                .start();
        assertThat(passwd.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(passwd.exitValue()).isZero();
        TestBroker running = startBroker("password_file " + passwords + "\n", TestBroker.ACL);
        MosquittoClients.Subscription watch = watch(running);

        Path wrong = startDevice(running, "  username: garage\n  password: wrong-password\n", "DEBUG");
        // Three attempts, all refused the same way (retries are logged at DEBUG).
        await().atMost(Duration.ofSeconds(30)).until(() -> count(read(wrong), "Still not connected") >= 2);

        String refused = "refused: CONNACK 0x87 not authorized";
        assertThat(read(wrong))
                .contains("WARN  MqttLink - Not connected to localhost:" + running.tlsPort() + ": " + refused)
                .doesNotContain(FALLBACK)
                .doesNotContain("wrong-password");
        assertThat(count(read(wrong), "Still not connected: " + refused)).isEqualTo(count(read(wrong), "Still not"));
        assertThat(levels(running)).isEmpty();
        stopDevice();

        // The control: the right password, same broker, connects at MQTT 5.
        startDevice(running, "  username: garage\n  password: right-password\n", "INFO");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> watch.payloads(AVAILABILITY).contains("online"));
        assertThat(levels(running)).as("broker log:%n%s", brokerLog(running)).containsExactly("p5");
    }

    /**
     * A broker that refuses the command subscription (a Drawbridge plugin denies it; an {@code acl_file} cannot, see
     * {@link SubscribeRefusingPlugin}): the SUBACK's failure code is logged as an ERROR (0x87 at MQTT 5, 0x80 at 3.1.1,
     * which has no reasons), and the device does not announce online; what it may publish, its state, still arrives.
     */
    @ParameterizedTest(name = "protocol {0}")
    @CsvSource({"5, SUBACK 0x87 not authorized", "3.1.1, SUBACK 0x80 failure"})
    void aRefusedCommandSubscriptionIsAnErrorWithItsReasonCode(String protocol, String refusal) throws Exception {
        assumeTrue(TestBroker.kind() == TestBroker.Kind.DRAWBRIDGE, "the refusing plugin is a Drawbridge plugin");
        TestBroker running = startBroker(
                TestBroker.IDENTITY_AS_USERNAME + SubscribeRefusingPlugin.listenerLines(pki.dir, COMMAND),
                TestBroker.ACL);
        MosquittoClients.Subscription watch = watch(running);
        Path log = startDevice(running, "  protocol: " + protocol + "\n", "INFO");

        await().atMost(Duration.ofSeconds(30)).until(() -> read(log).contains("refused the subscription"));
        await().atMost(Duration.ofSeconds(10)).until(() -> watch.payloads(STATE).contains("closed"));

        assertThat(read(log))
                .contains("ERROR Opener - The broker refused the subscription to " + COMMAND + ": " + refusal
                        + ". No command can reach this door, so it does not announce online");
        assertThat(watch.payloads(AVAILABILITY))
                .as("broker log:%n%s", brokerLog(running))
                .doesNotContain("online");
    }

    /**
     * An ACL that does not let the device write its event topic: at MQTT 5 the broker answers PUBACK 0x87, which the
     * device logs as a WARN naming the topic; the door still moves and its state, which the ACL allows, arrives.
     */
    @Test
    void aRefusedEventIsAWarningWithItsReasonCode() throws Exception {
        String acl = TestBroker.ACL.replace("topic write " + EVENT + "\n", "");
        assertThat(acl).isNotEqualTo(TestBroker.ACL);
        TestBroker running = startBroker(TestBroker.IDENTITY_AS_USERNAME, acl);
        MosquittoClients.Subscription watch = watch(running);
        Path log = startDevice(running, "", "INFO");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> watch.payloads(AVAILABILITY).contains("online"));

        MosquittoClients.plain(running.plainPort()).publish(COMMAND, false, "OPEN");

        await().atMost(Duration.ofSeconds(15)).until(() -> watch.payloads(STATE).contains("opening"));
        await().atMost(Duration.ofSeconds(10)).until(() -> read(log).contains("refused the message"));
        assertThat(read(log))
                .contains("WARN  Opener - The broker refused the message on " + EVENT + ": PUBACK 0x87 not authorized");
        assertThat(watch.payloads(EVENT)).isEmpty();
    }

    @Test
    void mqtt311ForcedByConfigIsSpokenToABrokerThatSpeaks5() throws Exception {
        TestBroker running = startBroker(TestBroker.IDENTITY_AS_USERNAME, TestBroker.ACL);
        MosquittoClients.Subscription watch = watch(running);
        Path log = startDevice(running, "  protocol: 3.1.1\n", "INFO");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> watch.payloads(AVAILABILITY).contains("online"));

        openTheDoor(running, watch);

        assertThat(levels(running)).as("broker log:%n%s", brokerLog(running)).containsExactly("p2");
        assertThat(read(log)).contains("(TLS, MQTT 3.1.1, clean session)").doesNotContain(FALLBACK);
    }

    @Test
    void mqtt5ForcedByConfigNeverFallsBack() throws Exception {
        assumeTrue(TestBroker.kind() == TestBroker.Kind.DRAWBRIDGE, "Mosquitto 2.0.11 has no accept_protocol_versions");
        TestBroker running = startBroker(ONLY_3_1_1, TestBroker.ACL);
        Path log = startDevice(running, "  protocol: 5\n", "DEBUG");

        await().atMost(Duration.ofSeconds(30)).until(() -> count(brokerLog(running), LEVEL_5_REFUSED) >= 3);

        assertThat(read(log))
                .contains("Not connected to localhost:" + running.tlsPort()
                        + ": refused: CONNACK 0x84 unsupported protocol version (mqtt.protocol is 5; auto would fall"
                        + " back to 3.1.1)")
                .doesNotContain(FALLBACK);
        assertThat(levels(running)).as("broker log:%n%s", brokerLog(running)).isEmpty();
    }
}
