package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers leave in the order of the packets they answer (MQTT-3.2.0-1, MQTT-4.6.0-2): with {@code persistence_mode
 * durable} a persistent client's CONNACK waits until its session is on disk, and the PUBACK of a PUBLISH the broker
 * drops (over {@code message_size_limit}), sent right behind the CONNECT, must not overtake it.
 */
class AnswerOrderIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    void thePubackOfADroppedPublishRightBehindAPersistentConnectComesAfterTheConnack() {
        broker.start("message_size_limit 10", "persistence true", "persistence_location " + broker.dir());
        for (int round = 0; round < 20; round++) {
            RawConnection client = broker.open();
            client.send(MqttBytes.concat(
                    new Connect("MQTT", 4, "order-" + round, false, Optional.empty(), 60).bytes(),
                    MqttBytes.publish("order/t", "x".repeat(11), 1, 7, false, false)));

            Frame first = client.expectFrame(RawClients.ANSWER);
            Frame second = client.expectFrame(RawClients.ANSWER);

            assertThat(first.type()).as("round %d: the first answer", round).isEqualTo(Frame.CONNACK);
            assertThat(second.type()).as("round %d: the second answer", round).isEqualTo(Frame.PUBACK);
            assertThat(second.packetId()).isEqualTo(7);
            client.send(MqttBytes.DISCONNECT);
        }
    }
}
