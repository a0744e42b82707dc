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

/** An UNSUBSCRIBE and a SUBSCRIBE sent together: the new subscription gets the retained message, every time. */
class RetainedResubscribeIT {

    private static final int ROUNDS = 20;

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    @Test
    void unsubscribeAndSubscribeAgainAtOnceGetsTheRetainedMessage() throws Exception {
        broker.publish("-t", "door/state", "-q", "1", "-r", "-m", "closed");
        RawConnection client = broker.connected(Connect.mqtt311("resubscriber"));
        RawClients.subscribe(client, "door/state", 0);
        assertThat(client.expect(Frame.PUBLISH, RawClients.ANSWER).describe())
                .isEqualTo("PUBLISH dup=0 q0 r1 topic='door/state' payload='closed'");

        List<String> answers = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int id = 2 * round + 2;
            client.send(MqttBytes.concat(
                    MqttBytes.unsubscribe(id, "door/state"), MqttBytes.subscribe(id + 1, "door/state", 0)));
            for (int i = 0; i < 3; i++) {
                answers.add("round " + round + ": "
                        + client.expectFrame(RawClients.ANSWER).describe());
            }
        }

        List<String> expected = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            expected.add("round " + round + ": UNSUBACK id=" + (2 * round + 2));
            expected.add("round " + round + ": SUBACK id=" + (2 * round + 3) + " codes=[0x00]");
            expected.add("round " + round + ": PUBLISH dup=0 q0 r1 topic='door/state' payload='closed'");
        }
        assertThat(answers).containsExactlyElementsOf(expected);
    }
}
