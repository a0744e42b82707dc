package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static dev.drawbridge.device.DeviceFixture.COMMAND;
import static dev.drawbridge.device.DeviceFixture.EVENT;
import static dev.drawbridge.device.DeviceFixture.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands from Debian's mosquitto_pub, through the real broker, to the device on a simulated door. */
class CommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestPki pki;

    private TestBroker broker;
    private MosquittoClients clients;
    private DeviceFixture fixture;
    private MosquittoClients.Subscription watch;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBroker.start(pki);
        clients = MosquittoClients.plain(broker.plainPort());
        fixture = new DeviceFixture(pki, broker.tlsPort());
        watch = clients.subscribe(STATE, AVAILABILITY, EVENT);
        await().atMost(Duration.ofSeconds(10)).until(watch::subscribed);
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
        watch.close();
        broker.close();
    }

    private List<JsonNode> events() {
        return watch.payloads(EVENT).stream().map(CommandIT::parse).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("event is not JSON: " + json, e);
        }
    }

    @Test
    void openPulsesTheRelayOnceAndTheStateGoesOpeningThenOpen() throws Exception {
        fixture.startOnline(watch);

        clients.publish(COMMAND, false, "OPEN");

        await().atMost(Duration.ofSeconds(10)).until(() -> watch.payloads(STATE).contains("open"));
        assertThat(watch.payloads(STATE)).containsSubsequence("closed", "opening", "open");
        assertThat(fixture.door.presses()).isEqualTo(1);
        JsonNode event = events().get(0);
        assertThat(event.get("acted").asBoolean()).isTrue();
        assertThat(event.get("result").asText()).isEqualTo("pulsed");
        assertThat(event.get("command").asText()).isEqualTo("OPEN");
        assertThat(event.get("state_before").asText()).isEqualTo("closed");
    }

    @Test
    void aRetainedOpenPublishedBeforeTheDeviceStartsDoesNothing() throws Exception {
        clients.publish(COMMAND, true, "OPEN");

        fixture.startOnline(watch);

        await().atMost(Duration.ofSeconds(10)).until(() -> !events().isEmpty());
        assertThat(events().get(0).get("reason").asText()).isEqualTo("retained");
        assertThat(events().get(0).get("acted").asBoolean()).isFalse();
        assertThat(fixture.door.presses()).isZero();
        assertThat(watch.payloads(STATE)).containsOnly("closed");
    }

    /**
     * The device's session ends with its connection (MQTT 5: clean start, session expiry 0), so the broker keeps no
     * command for it while it is away: an OPEN published then never reaches it. The TOGGLE published after it is back
     * is the control: it arrives, alone.
     */
    @Test
    void aCommandPublishedWhileTheDeviceWasAwayIsNeverDelivered() throws Exception {
        fixture.startOnline(watch);
        fixture.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> watch.payloads(AVAILABILITY).contains("offline"));

        clients.publish(COMMAND, false, "OPEN");
        try (DeviceFixture again = new DeviceFixture(pki, broker.tlsPort())) {
            again.start(DeviceFixture.BY_CA, DeviceFixture.FAST);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> watch.payloads(AVAILABILITY).stream()
                                    .filter("online"::equals)
                                    .count()
                            == 2);
            clients.publish(COMMAND, false, "TOGGLE");

            await().atMost(Duration.ofSeconds(10)).until(() -> !events().isEmpty());
            assertThat(events())
                    .singleElement()
                    .satisfies(
                            event -> assertThat(event.get("command").asText()).isEqualTo("TOGGLE"));
            assertThat(again.door.presses()).isEqualTo(1);
        }
    }

    @Test
    void twoOpensInsideTheMinimumGapPulseOnce() throws Exception {
        fixture.startOnline(watch);

        clients.publish(COMMAND, false, "OPEN", "open");

        await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 2);
        assertThat(fixture.door.presses()).isEqualTo(1);
        assertThat(events().get(0).get("acted").asBoolean()).isTrue();
        assertThat(events().get(1).get("acted").asBoolean()).isFalse();
        assertThat(events().get(1).get("reason").asText()).isEqualTo("duplicate");
    }

    @Test
    void anyPressInsideTheMinimumGapIsRefused() throws Exception {
        fixture.startOnline(watch);

        clients.publish(COMMAND, false, "TOGGLE", "STOP");

        await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 2);
        assertThat(events().get(1).get("reason").asText()).isEqualTo("too-soon");
        assertThat(fixture.door.presses()).isEqualTo(1);
    }

    @Test
    void anUnknownCommandIsRefusedWithAReason() throws Exception {
        fixture.startOnline(watch);

        clients.publish(COMMAND, false, "LOWER");

        await().atMost(Duration.ofSeconds(10)).until(() -> !events().isEmpty());
        assertThat(events().get(0).get("result").asText()).isEqualTo("rejected");
        assertThat(events().get(0).get("reason").asText()).isEqualTo("unknown-command");
        assertThat(fixture.door.presses()).isZero();
    }

    @Test
    void aCommandInsideTheSettleWindowIsRefused() throws Exception {
        fixture.start(DeviceFixture.BY_CA, "  settle: 30s\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> watch.payloads(AVAILABILITY).contains("online"));

        clients.publish(COMMAND, false, "OPEN");

        await().atMost(Duration.ofSeconds(10)).until(() -> !events().isEmpty());
        assertThat(events().get(0).get("reason").asText()).isEqualTo("settling");
        assertThat(fixture.door.presses()).isZero();
    }
}
