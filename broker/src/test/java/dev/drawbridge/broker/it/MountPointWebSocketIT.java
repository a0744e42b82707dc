package dev.drawbridge.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.ListenerConfig.Protocol;
import dev.drawbridge.broker.net.BoundListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mount_point} on a WebSocket listener ({@code MountPointIT} covers TCP against Mosquitto): the HiveMQ client over
 * WebSocket publishes {@code t} and a plain MQTT client sees {@code ws/t}; it subscribes to {@code f/#} and gets
 * {@code ws/f/in} as {@code f/in}, but not {@code f/out} (outside its mount point), which the plain client does get;
 * its UNSUBSCRIBE of {@code f/#} ends that subscription.
 */
class MountPointWebSocketIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aWebSocketClientOfAMountedListenerLivesBelowItsPrefix() throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\nprotocol websockets\nmount_point ws/\n\nlistener 0 127.0.0.1\n\n"
                        + "allow_anonymous true\n",
                StandardCharsets.UTF_8);
        try (Drawbridge broker = Drawbridge.start(conf)) {
            Mqtt3BlockingClient ws = Mqtt3Client.builder()
                    .identifier("ws")
                    .serverHost("127.0.0.1")
                    .serverPort(port(broker, Protocol.WEBSOCKETS))
                    .webSocketConfig()
                    .serverPath("mqtt")
                    .applyWebSocketConfig()
                    .buildBlocking();
            Mqtt3BlockingClient plain = Mqtt3Client.builder()
                    .identifier("plain")
                    .serverHost("127.0.0.1")
                    .serverPort(port(broker, Protocol.MQTT))
                    .buildBlocking();
            ws.connect();
            plain.connect();
            try (Mqtt3Publishes wsReceived = ws.publishes(MqttGlobalPublishFilter.ALL);
                    Mqtt3Publishes plainReceived = plain.publishes(MqttGlobalPublishFilter.ALL)) {
                plain.subscribeWith()
                        .topicFilter("#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                ws.subscribeWith().topicFilter("f/#").qos(MqttQos.AT_LEAST_ONCE).send();

                publish(ws, "t", "from ws");
                assertThat(describe(receive(plainReceived))).isEqualTo("ws/t=from ws");

                publish(plain, "f/out", "outside");
                publish(plain, "ws/f/in", "inside");
                assertThat(describe(receive(plainReceived))).isEqualTo("f/out=outside");
                assertThat(describe(receive(plainReceived))).isEqualTo("ws/f/in=inside");
                // In order on one connection: f/out, had it been sent, would come before f/in.
                assertThat(describe(receive(wsReceived))).isEqualTo("f/in=inside");
                assertThat(wsReceived.receiveNow()).isEmpty();

                // UNSUBSCRIBE f/# is mounted too: ws/f/again no longer reaches it; ws/g/1, published after, does.
                ws.subscribeWith().topicFilter("g/#").qos(MqttQos.AT_LEAST_ONCE).send();
                ws.unsubscribeWith().topicFilter("f/#").send();
                publish(plain, "ws/f/again", "after unsubscribe");
                publish(plain, "ws/g/1", "control");
                assertThat(describe(receive(wsReceived))).isEqualTo("g/1=control");
            } finally {
                ws.disconnect();
                plain.disconnect();
            }
        }
    }

    private static int port(Drawbridge broker, Protocol protocol) {
        return broker.listeners().stream()
                .filter(l -> l.config().protocol() == protocol)
                .mapToInt(BoundListener::port)
                .findFirst()
                .orElseThrow();
    }

    private static void publish(Mqtt3BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static Mqtt3Publish receive(Mqtt3Publishes publishes) throws InterruptedException {
        Optional<Mqtt3Publish> received = publishes.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received).as("a message within %s", WAIT).isPresent();
        return received.get();
    }

    private static String describe(Mqtt3Publish publish) {
        return publish.getTopic() + "=" + new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
