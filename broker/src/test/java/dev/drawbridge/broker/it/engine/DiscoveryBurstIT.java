package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Home Assistant discovery: thousands of retained {@code homeassistant/<component>/<id>/config} messages, then one
 * subscriber to {@code homeassistant/#} that must get every one of them, at QoS 0 as at QoS 1.
 */
class DiscoveryBurstIT {

    private static final int MESSAGES = 12_000;
    private static final String[] COMPONENTS = {"sensor", "binary_sensor", "switch", "light", "cover", "lock"};

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aQos0SubscriberReceivesEveryRetainedConfig() {
        broker.start();
        burst(MqttQos.AT_MOST_ONCE);
    }

    /**
     * With the default configuration: the retained messages a SUBSCRIBE sends are not held to {@code
     * max_queued_messages} (default 1000) while they wait for in-flight slots, where Mosquitto 2.0.11 stops at 1,020.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aQos1SubscriberReceivesEveryRetainedConfig() {
        broker.start();
        burst(MqttQos.AT_LEAST_ONCE);
    }

    private void burst(MqttQos qos) {
        Mqtt3AsyncClient publisher = broker.connectedClient("discovery-publisher");
        AtomicInteger acknowledged = new AtomicInteger();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sent.add(publisher
                    .publishWith()
                    .topic(topic(i))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload(payload(i).getBytes(UTF_8))
                    .send()
                    .thenRun(acknowledged::incrementAndGet));
        }
        Awaitility.await("PUBACKs for the " + MESSAGES + " retained configs")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(acknowledged).hasValue(MESSAGES));

        Set<String> topics = ConcurrentHashMap.newKeySet();
        AtomicInteger notRetained = new AtomicInteger();
        Mqtt3AsyncClient subscriber = broker.connectedClient("discovery-subscriber");
        subscriber
                .subscribeWith()
                .topicFilter("homeassistant/#")
                .qos(qos)
                .callback(p -> {
                    topics.add(p.getTopic().toString());
                    if (!p.isRetain()) {
                        notRetained.incrementAndGet();
                    }
                })
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();

        Awaitility.await("all " + MESSAGES + " retained discovery configs at " + qos)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(topics.size()).isEqualTo(MESSAGES));
        assertThat(notRetained).as("deliveries without RETAIN").hasValue(0);
    }

    private static String topic(int i) {
        return "homeassistant/" + COMPONENTS[i % COMPONENTS.length] + "/door_" + i + "/config";
    }

    /** About 300 bytes, shaped like a discovery config. */
    private static String payload(int i) {
        String component = COMPONENTS[i % COMPONENTS.length];
        return String.format(
                "{\"name\":\"Door %1$05d\",\"unique_id\":\"drawbridge_door_%1$05d\",\"state_topic\":\"drawbridge/door_%1$05d/"
                        + "state\",\"command_topic\":\"drawbridge/door_%1$05d/set\",\"availability_topic\":\"drawbridge/"
                        + "status\",\"device\":{\"identifiers\":[\"drawbridge_%1$05d\"],\"manufacturer\":\"Drawbridge\","
                        + "\"model\":\"%2$s\",\"name\":\"Gate %1$05d\"},\"qos\":1,\"retain\":true}",
                i, component);
    }
}
