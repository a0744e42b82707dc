package dev.drawbridge.broker.it;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Publish/subscribe through a real broker on a real socket, with Debian's Mosquitto clients. */
class PubSubIT {

    private Drawbridge broker;
    private int port;

    @BeforeEach
    void start() throws Exception {
        broker = Drawbridge.start(BrokerConfig.localOnly(0));
        port = broker.port();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void aMessageReachesTheSubscriberAtEachQos(int qos) throws Exception {
        String q = Integer.toString(qos);
        try (ClientProcess sub = subscribed(port, "-t", "rt/" + q, "-q", q, "-C", "1", "-F", "%q %t %p")) {
            assertThat(pub(port, "-t", "rt/" + q, "-q", q, "-m", "hello " + q).exitCode())
                    .isZero();
            sub.awaitLine(line -> line.equals(q + " rt/" + q + " hello " + q), Duration.ofSeconds(10));
            assertThat(sub.waitFor(Duration.ofSeconds(10))).isZero();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void aRetainedMessageReachesANewSubscriberWithRetainSet(int qos) throws Exception {
        String q = Integer.toString(qos);
        assertThat(pub(port, "-t", "ret/" + q, "-q", q, "-r", "-m", "kept " + q).exitCode())
                .isZero();

        Result sub = subUntilDone(port, "-t", "ret/" + q, "-q", "2", "-C", "1", "-W", "10", "-F", "%r %q %p");

        assertThat(sub.stdout()).containsExactly("1 " + q + " kept " + q);
    }

    @Test
    void aQos0RetainedMessageReplacesTheRetainedOne() throws Exception {
        assertThat(pub(port, "-t", "door/state", "-q", "1", "-r", "-m", "open").exitCode())
                .isZero();
        assertThat(pub(port, "-t", "door/state", "-q", "0", "-r", "-m", "closed")
                        .exitCode())
                .isZero();

        Result sub = subUntilDone(port, "-t", "door/state", "-C", "1", "-W", "10", "-F", "%r %p");

        assertThat(sub.stdout()).containsExactly("1 closed");
    }

    @Test
    void anEmptyRetainedMessageClearsIt() throws Exception {
        assertThat(pub(port, "-t", "door/state", "-q", "1", "-r", "-m", "open").exitCode())
                .isZero();
        assertThat(pub(port, "-t", "door/state", "-q", "0", "-r", "-n").exitCode())
                .isZero();

        assertThat(pub(port, "-t", "door/marker", "-q", "1", "-r", "-m", "marker")
                        .exitCode())
                .isZero();

        // One SUBSCRIBE with both filters: the first filter's retained messages are sent before the second's, so the
        // marker comes first only when door/state holds nothing.
        Result sub = subUntilDone(port, "-t", "door/state", "-t", "door/marker", "-C", "1", "-W", "10", "-v");

        assertThat(sub.stdout()).containsExactly("door/marker marker");
    }

    @Test
    void wildcardsAtTheStartDoNotMatchDollarTopics() throws Exception {
        assertThat(pub(port, "-t", "plain/topic", "-q", "1", "-r", "-m", "visible")
                        .exitCode())
                .isZero();

        Result sys = subUntilDone(port, "-t", "$SYS/broker/version", "-C", "1", "-W", "10");
        Result hash = subUntilDone(port, "-t", "#", "-v", "-W", "2");
        // The retained $SYS/broker/version (there: see sys) would come before plain/topic's, the second filter's.
        Result plus = subUntilDone(port, "-t", "+/broker/version", "-t", "plain/topic", "-v", "-C", "1", "-W", "10");

        assertThat(sys.stdout()).singleElement().asString().startsWith("drawbridge version ");
        assertThat(hash.stdout()).containsExactly("plain/topic visible");
        assertThat(plus.stdout()).containsExactly("plain/topic visible");
    }

    @Test
    void aClientThatDropsWithoutDisconnectLeavesItsWill() throws Exception {
        try (ClientProcess watcher = subscribed(port, "-t", "garage/availability", "-C", "1");
                ClientProcess device = subscribed(
                        port,
                        "-i",
                        "garage",
                        "-t",
                        "garage/cmd",
                        "--will-topic",
                        "garage/availability",
                        "--will-payload",
                        "offline")) {
            device.kill();
            watcher.awaitLine("offline"::equals, Duration.ofSeconds(10));
        }
    }

    @Test
    void aMessageFarLargerThanOneReadGoesThrough(@TempDir Path dir) throws Exception {
        String big = "x".repeat(100_000);
        Path file = Files.writeString(dir.resolve("big.txt"), big);
        try (ClientProcess sub = subscribed(port, "-t", "big", "-C", "1")) {
            assertThat(pub(port, "-t", "big", "-q", "1", "-f", file.toString()).exitCode())
                    .isZero();
            sub.awaitLine(big::equals, Duration.ofSeconds(10));
        }
    }

    @Test
    void mqtt5ClientsExchangeAMessageWithItsPropertiesAndMqtt311ClientsStillGetIt() throws Exception {
        try (ClientProcess v5 = subscribed(port, "-V", "5", "-t", "v5/#", "-C", "1", "-F", "%t %p %P %C");
                ClientProcess v311 = subscribed(port, "-t", "v5/#", "-C", "1", "-F", "%t %p")) {
            Result published = pub(
                    port,
                    "-V",
                    "5",
                    "-t",
                    "v5/door",
                    "-m",
                    "open",
                    "-q",
                    "1",
                    "-D",
                    "publish",
                    "user-property",
                    "room",
                    "garage",
                    "-D",
                    "publish",
                    "content-type",
                    "text/plain");

            assertThat(published.exitCode()).isZero();
            v5.awaitLine("v5/door open room:garage text/plain"::equals, Duration.ofSeconds(10));
            v311.awaitLine("v5/door open"::equals, Duration.ofSeconds(10));
        }
    }

    /**
     * Strict UTF-8 checking must not refuse what is valid: a topic with a 4-byte character (an emoji) and one starting
     * with U+FEFF, which must be kept and not skipped (MQTT-1.5.3-3), go through unchanged with the HiveMQ client.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"door/\uD83D\uDE80/state", "\uFEFFbom/topic"})
    void topicsWithAnEmojiOrABomRoundTripUnchanged(String topic) throws Exception {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier("utf8-round-trip")
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connect();
        try (Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("ok".getBytes(StandardCharsets.UTF_8))
                    .send();

            Optional<Mqtt3Publish> received = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(received).as("the message back within 10 s").isPresent();
            assertThat(received.get().getTopic().toString()).isEqualTo(topic);
            assertThat(received.get().getTopic().toString().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(topic.getBytes(StandardCharsets.UTF_8));
        } finally {
            client.disconnect();
        }
    }
}
