package dev.drawbridge.broker.it.engine;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT-4.7.2-1: {@code #} does not match {@code $}-topics, but {@code $app/#} beside it in one SUBSCRIBE does. */
class DollarTopicSubscriptionIT {

    @TempDir
    Path dir;

    private Drawbridge broker;
    private Mqtt3AsyncClient subscriber;

    @AfterEach
    void stop() {
        if (subscriber != null) {
            subscriber
                    .disconnect()
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void hashAndDollarFilterInOneSubscribeReceiveDollarAppCmd() throws Exception {
        broker = DrawbridgeBroker.start(dir, List.of());
        subscriber = MqttClient.builder()
                .useMqttVersion3()
                .identifier("dollar-subscriber")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildAsync();
        subscriber.connect().orTimeout(10, TimeUnit.SECONDS).join();
        List<String> received = new CopyOnWriteArrayList<>();
        subscriber.publishes(
                MqttGlobalPublishFilter.ALL,
                p -> received.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        subscriber
                .subscribe(Mqtt3Subscribe.builder()
                        .addSubscription()
                        .topicFilter("#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .addSubscription()
                        .topicFilter("$app/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription()
                        .build())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();

        assertThat(pub(broker.port(), "-t", "$app/cmd", "-q", "1", "-m", "open").exitCode())
                .isZero();
        assertThat(pub(broker.port(), "-t", "app/after", "-q", "1", "-m", "marker")
                        .exitCode())
                .isZero();

        Awaitility.await("$app/cmd and the marker after it")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).contains("app/after marker"));
        assertThat(received).containsExactly("$app/cmd open", "app/after marker");
    }
}
