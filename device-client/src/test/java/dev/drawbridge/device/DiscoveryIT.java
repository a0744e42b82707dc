package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static dev.drawbridge.device.DeviceFixture.DISCOVERY;
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

/** Home Assistant MQTT discovery as a subscriber on the real broker ({@link TestBroker}) sees it. */
class DiscoveryIT {

    @TempDir
    static Path dir;

    private static TestPki pki;

    private TestBroker broker;
    private MosquittoClients clients;
    private DeviceFixture fixture;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBroker.start(pki);
        clients = MosquittoClients.plain(broker.plainPort());
        fixture = new DeviceFixture(pki, broker.tlsPort());
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
        broker.close();
    }

    @Test
    void theRetainedCoverConfigIsJsonWithTheFieldsHomeAssistantNeeds() throws Exception {
        try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10)).until(availability::subscribed);
            fixture.startOnline(availability);
        }

        try (MosquittoClients.Subscription config = clients.subscribe(DISCOVERY)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !config.messages().isEmpty());
            assertThat(config.messages().get(0)).startsWith("1|" + DISCOVERY + "|");
            JsonNode json =
                    new ObjectMapper().readTree(config.payloads(DISCOVERY).get(0));

            for (String field : List.of(
                    "name",
                    "unique_id",
                    "command_topic",
                    "state_topic",
                    "availability_topic",
                    "payload_open",
                    "payload_close",
                    "payload_stop",
                    "device")) {
                assertThat(json.hasNonNull(field)).as(field).isTrue();
            }
            assertThat(json.get("device_class").asText()).isEqualTo("garage");
            assertThat(json.get("command_topic").asText()).isEqualTo(DeviceFixture.COMMAND);
            assertThat(json.get("state_topic").asText()).isEqualTo(DeviceFixture.STATE);
            assertThat(json.get("availability_topic").asText()).isEqualTo(AVAILABILITY);
            assertThat(json.get("device").get("identifiers").isArray()).isTrue();
        }
    }

    @Test
    void theConfigIsPublishedAgainWhenHomeAssistantComesOnline() throws Exception {
        try (MosquittoClients.Subscription watch = clients.subscribe(AVAILABILITY, DISCOVERY)) {
            await().atMost(Duration.ofSeconds(10)).until(watch::subscribed);
            fixture.startOnline(watch);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> watch.payloads(DISCOVERY).size() == 1);

            clients.publish("homeassistant/status", false, "online");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> watch.payloads(DISCOVERY).size() == 2);
        }
    }
}
