package dev.drawbridge.broker.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import dev.drawbridge.keystores.TrustMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MQTT 5 on every listener kind but plain TCP (which {@code Mqtt5IT} covers): WebSocket, TLS and WebSocket over TLS,
 * each with the HiveMQ client in MQTT 5 mode. A message's user properties and message expiry cross the listener
 * intact, and the answers only MQTT 5 has come back: an assigned client id for an empty one, PUBACK 0x10 when nobody
 * subscribed.
 */
class Mqtt5ListenerKindsIT {

    /** The listeners of one broker, in the order of its {@code mosquitto.conf}. */
    enum Kind {
        WEBSOCKET,
        TLS,
        WEBSOCKET_OVER_TLS
    }

    @TempDir
    Path dir;

    private @Nullable Drawbridge broker;
    private TrustManagerFactory trust;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.create(dir, "home");
        Issued server = pki.server("server");
        String tls = "certfile " + server.cert() + "\nkeyfile " + server.key() + "\n";
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "allow_anonymous true\n"
                        + "listener 0 127.0.0.1\nprotocol websockets\n"
                        + "listener 0 127.0.0.1\n" + tls
                        + "listener 0 127.0.0.1\nprotocol websockets\n" + tls,
                UTF_8);
        broker = Drawbridge.start(conf);
        trust = TrustMaterial.load(pki.caFile(), null).trustManagerFactory();
    }

    @AfterEach
    void stop() {
        try {
            for (Mqtt5BlockingClient client : clients) {
                if (client.getState().isConnected()) {
                    client.disconnect();
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** A client for this kind of listener, not connected yet; an empty id asks the broker to assign one. */
    private Mqtt5BlockingClient client(Kind kind, String id) {
        Drawbridge running = broker;
        assertThat(running).isNotNull();
        Mqtt5ClientBuilder builder = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(running.listeners().get(kind.ordinal()).port());
        if (kind != Kind.TLS) {
            builder = builder.webSocketConfig().serverPath("mqtt").applyWebSocketConfig();
        }
        if (kind != Kind.WEBSOCKET) {
            builder = builder.sslConfig().trustManagerFactory(trust).applySslConfig();
        }
        Mqtt5BlockingClient client = builder.buildBlocking();
        clients.add(client);
        return client;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aMessagesUserPropertiesAndExpiryCrossTheListenerIntact(Kind kind) throws Exception {
        Mqtt5BlockingClient subscriber = client(kind, "v5-sub-" + kind);
        subscriber.connect();
        try (Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber
                    .subscribeWith()
                    .topicFilter("kinds/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Mqtt5BlockingClient publisher = client(kind, "v5-pub-" + kind);
            publisher.connect();
            publisher
                    .publishWith()
                    .topic("kinds/door")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("open".getBytes(UTF_8))
                    .messageExpiryInterval(3600)
                    .userProperties()
                    .add("zone", "garage")
                    .add("by", "alice")
                    .add("zone", "again")
                    .applyUserProperties()
                    .send();

            Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(received).as("the message within 10 s").isPresent();
            Mqtt5Publish got = received.get();
            assertThat(got.getTopic().toString()).isEqualTo("kinds/door");
            assertThat(new String(got.getPayloadAsBytes(), UTF_8)).isEqualTo("open");
            assertThat(got.getUserProperties().asList())
                    .extracting(p -> p.getName() + "=" + p.getValue())
                    .containsExactly("zone=garage", "by=alice", "zone=again");
            // Counted down while it waited, so a second may have gone.
            assertThat(got.getMessageExpiryInterval().orElseThrow()).isBetween(3590L, 3600L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void anEmptyClientIdIsAssignedOneAndAPublishNobodyWantsGetsPubAck0x10(Kind kind) {
        Mqtt5BlockingClient client = client(kind, "");
        Mqtt5ConnAck connAck = client.connect();
        assertThat(connAck.getAssignedClientIdentifier())
                .as("assigned client identifier in the CONNACK")
                .hasValueSatisfying(id -> assertThat(id.toString()).isNotEmpty());
        client.subscribeWith().topicFilter("watched/#").send();

        Mqtt5Qos1Result unwatched = (Mqtt5Qos1Result) client.publishWith()
                .topic("nobody/listens")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5Qos1Result watched = (Mqtt5Qos1Result) client.publishWith()
                .topic("watched/x")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();

        assertThat(unwatched.getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(watched.getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    }
}
