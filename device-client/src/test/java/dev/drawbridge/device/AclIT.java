package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.BASE;
import static dev.drawbridge.device.DeviceFixture.COMMAND;
import static dev.drawbridge.device.DeviceFixture.EVENT;
import static dev.drawbridge.device.DeviceFixture.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.device.mqtt.BrokerRefusal;
import dev.drawbridge.device.mqtt.MqttLink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's ACL ({@link TestBroker#ACL}) confines each certificate to its topics: another certificate from the same
 * CA cannot command or watch the door, and the device's own certificate cannot write outside the device's topics.
 */
class AclIT {

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
        watch = clients.subscribe("#");
        await().atMost(Duration.ofSeconds(10)).until(watch::subscribed);
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
        watch.close();
        broker.close();
    }

    private static String payloadOf(String json) {
        try {
            JsonNode event = JSON.readTree(json);
            return event.get("payload").asText();
        } catch (Exception e) {
            throw new AssertionError("event is not JSON: " + json, e);
        }
    }

    @Test
    void anotherCertificateOfTheSameCaCanNeitherCommandNorWatchTheDoor() throws Exception {
        MosquittoClients intruder = MosquittoClients.tls(pki, broker.tlsPort(), "intruder");
        try (MosquittoClients.Subscription spy = intruder.subscribe(BASE + "/#")) {
            await().atMost(Duration.ofSeconds(10)).until(spy::subscribed);
            fixture.startOnline(watch);

            // mosquitto_pub exits 0: the TLS connection is accepted and a denied PUBLISH is acknowledged and dropped.
            intruder.publish(COMMAND, false, "TOGGLE");
            // Then a command the ACL allows; once its event is out, the intruder's TOGGLE would have come before it.
            clients.publish(COMMAND, false, "OPEN");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !watch.payloads(EVENT).isEmpty());
            assertThat(watch.payloads(EVENT))
                    .map(AclIT::payloadOf)
                    .as("commands the device saw, from its events; broker log:%n%s", broker.log())
                    .containsExactly("OPEN");
            assertThat(fixture.door.presses()).isEqualTo(1);
            assertThat(spy.messages())
                    .as("what the intruder's subscription to %s/# received", BASE)
                    .isEmpty();
        }
    }

    @Test
    void theDevicesOwnCertificateCannotWriteOutsideTheDevicesTopics() throws Exception {
        MqttLink device = fixture.connectLink();

        // At MQTT 5 the broker says no: PUBACK 0x87, which fails the device's publish.
        for (String topic : List.of(COMMAND, "drawbridge/gate/cmd", "drawbridge/gate/state", "homeassistant/status")) {
            assertThatThrownBy(() -> device.publish(topic, "OPEN", false).get(10, TimeUnit.SECONDS))
                    .as(topic)
                    .hasCauseInstanceOf(BrokerRefusal.class)
                    .hasMessageEndingWith("PUBACK 0x87 not authorized");
        }
        assertThatThrownBy(() -> device.publish("homeassistant/cover/gate/door/config", "{}", true)
                        .get(10, TimeUnit.SECONDS))
                .hasMessageEndingWith("PUBACK 0x87 not authorized");
        // Allowed, and published last on the same connection: when it arrives, the denied ones would have too.
        device.publish(STATE, "closed", true).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !watch.payloads(STATE).isEmpty());
        assertThat(watch.messages())
                .as(
                        "what the device published, as a subscriber to # on the plain listener saw it; broker log:%n%s",
                        broker.log())
                .containsExactly("0|" + STATE + "|closed");
    }
}
