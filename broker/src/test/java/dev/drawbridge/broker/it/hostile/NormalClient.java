package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A well-behaved client on a new raw connection, proving the broker still serves: CONNECT, SUBSCRIBE at QoS 1, PUBLISH
 * at QoS 1 to the same topic, the PUBACK and the message back (acknowledged), DISCONNECT.
 */
final class NormalClient {

    private NormalClient() {}

    /** Fails unless the round trip completes, each answer within {@code timeout}. */
    static void roundTrip(int port, String clientId, Duration timeout) {
        String topic = "check/" + clientId;
        byte[] message = "ok".getBytes(UTF_8);
        try (RawSocket socket = RawSocket.open(port)) {
            socket.send(Wire.connect(clientId));
            assertThat(Wire.describe(socket.expectPacket(timeout)))
                    .as("%s: CONNACK", clientId)
                    .isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
            socket.send(Wire.subscribe(1, topic, 1));
            assertThat(Wire.describe(socket.expectPacket(timeout)))
                    .as("%s: SUBACK", clientId)
                    .isEqualTo(Wire.describe(Wire.bytes("90 03 0001 01")));
            socket.send(Wire.publishQos1(2, topic, message));
            List<String> answers = new ArrayList<>();
            int deliveredId = -1;
            for (int i = 0; i < 2; i++) {
                byte[] packet = socket.expectPacket(timeout);
                if ((packet[0] & 0xf0) != 0x30) {
                    answers.add(Wire.describe(packet));
                    continue;
                }
                // PUBLISH QoS 1: topic, the broker's packet id, payload.
                byte[] body = Wire.body(packet);
                int topicEnd = 2 + topic.getBytes(UTF_8).length;
                deliveredId = ((body[topicEnd] & 0xff) << 8) | (body[topicEnd + 1] & 0xff);
                answers.add("PUBLISH flags " + (packet[0] & 0x0f) + " "
                        + Wire.hex(Wire.concat(
                                Wire.slice(body, 0, topicEnd), Wire.slice(body, topicEnd + 2, body.length))));
            }
            assertThat(answers)
                    .as("%s: the PUBACK and its own message", clientId)
                    .containsExactlyInAnyOrder(
                            Wire.describe(Wire.pubAck(2)),
                            "PUBLISH flags 2 " + Wire.hex(Wire.concat(Wire.utf8(topic), message)));
            socket.send(Wire.pubAck(deliveredId));
            socket.send(Wire.DISCONNECT);
        }
    }
}
