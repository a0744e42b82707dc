package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code message_size_limit}: a PUBLISH whose payload is larger is acknowledged and dropped (MQTT 3.1.1 cannot say
 * "too large"), as Mosquitto does; one at the limit, sent right after on the same connection, is delivered.
 */
class MessageSizeLimitIT {

    private static final int LIMIT = 100;

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest("message_size_limit " + LIMIT);

    @Test
    void aQos1PublishOverTheLimitIsAcknowledgedAndNeverDelivered() {
        RawConnection subscriber = broker.connected(Connect.mqtt311("size-sub"));
        RawClients.subscribe(subscriber, "size/t", 1);
        RawConnection publisher = broker.connected(Connect.mqtt311("size-pub"));

        publisher.send(MqttBytes.publish("size/t", "x".repeat(LIMIT + 1), 1, 1, false, false));
        Frame dropped = publisher.expect(Frame.PUBACK, RawClients.ANSWER);
        assertThat(dropped.packetId()).as("PUBACK of the too large PUBLISH").isEqualTo(1);

        // Positive control: the broker keeps the connection and routes a payload at the limit.
        publisher.send(MqttBytes.publish("size/t", "y".repeat(LIMIT), 1, 2, false, false));
        Frame kept = publisher.expect(Frame.PUBACK, RawClients.ANSWER);
        assertThat(kept.packetId()).as("PUBACK of the PUBLISH at the limit").isEqualTo(2);

        // Deliveries keep the publisher's order: had the large one been routed, it would come first.
        Frame delivered = subscriber.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(delivered.payloadText()).as("the first delivery").isEqualTo("y".repeat(LIMIT));
        subscriber.send(MqttBytes.puback(delivered.packetId()));
        RawClients.nothingBeforePingResponse(subscriber, "a delivery after the PUBLISH at the limit");
    }
}
