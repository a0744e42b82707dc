package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code max_inflight_messages}: how many QoS 1/2 deliveries a client may have unacknowledged at once. */
class InflightLimitIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest("max_inflight_messages 3");

    @Test
    void aSubscriberThatDoesNotAcknowledgeGetsThreeUntilItAcknowledgesOne() throws Exception {
        RawConnection subscriber = broker.connected(Connect.mqtt311("inflight-subscriber"));
        RawClients.subscribe(subscriber, "inflight/t", 1);
        for (int i = 1; i <= 5; i++) {
            broker.publish("-t", "inflight/t", "-q", "1", "-m", "m" + i);
        }

        List<Frame> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(subscriber.expect(Frame.PUBLISH, RawClients.ANSWER));
        }
        assertThat(first).extracting(Frame::payloadText).containsExactly("m1", "m2", "m3");
        RawClients.nothingBeforePingResponse(subscriber, "a fourth delivery while three are unacknowledged");

        subscriber.send(MqttBytes.puback(first.get(0).packetId()));
        assertThat(subscriber.expect(Frame.PUBLISH, RawClients.ANSWER).payloadText())
                .isEqualTo("m4");
        RawClients.nothingBeforePingResponse(subscriber, "a fifth delivery after only one PUBACK");
    }
}
