package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT-4.7.2-1: {@code #} does not match {@code $}-topics, but {@code $app/#} beside it in one SUBSCRIBE does. */
class DollarTopicSubscriptionIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    @Test
    void hashAndDollarFilterInOneSubscribeReceiveDollarAppCmd() throws Exception {
        Mqtt3AsyncClient subscriber = broker.connectedClient("dollar-subscriber");
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

        broker.publish("-t", "$app/cmd", "-q", "1", "-m", "open");
        broker.publish("-t", "app/after", "-q", "1", "-m", "marker");

        Awaitility.await("$app/cmd and the marker after it")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).contains("app/after marker"));
        assertThat(received).containsExactly("$app/cmd open", "app/after marker");
    }
}
