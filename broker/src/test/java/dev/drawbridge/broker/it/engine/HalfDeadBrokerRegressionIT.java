package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression for issue 12's "half-dead broker": under Moquette, a PUBACK made a session loop throw, and from then on
 * the CONNECTs of every client served by that loop got no CONNACK. It was seen after a run of 52 short QoS 1 sessions
 * and after reconnects that re-sent unacknowledged messages. Here 50 persistent sessions each leave a QoS 1 delivery
 * unacknowledged, come back, acknowledge the resent copy and one more message; then 64 new client ids connect, eight at
 * a time (Netty hands new connections to its event loops in turn, so they land on every loop), and every one gets its
 * CONNACK and a QoS 1 round trip.
 */
class HalfDeadBrokerRegressionIT {

    private static final int SHORT_SESSIONS = 50;
    private static final int LATER_CLIENTS = 64;
    /**
     * CONNECTs in flight together: fewer than {@code max_pending_connections_per_address} (16), which would otherwise
     * close the oldest socket of 127.0.0.1 still waiting for its CONNACK, as it should.
     */
    private static final int AT_ONCE = 8;

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    private int nextPublishId = 1;

    @Test
    void afterFiftyShortQos1SessionsWithResendsEveryConnectIsAnsweredAndQos1StillFlows() throws Exception {
        RawConnection publisher = broker.connected(Connect.mqtt311("halfdead-publisher"));
        for (int i = 0; i < SHORT_SESSIONS; i++) {
            shortSessionWithResend(publisher, i);
        }

        List<RawConnection> later = new ArrayList<>();
        for (int batch = 0; batch < LATER_CLIENTS; batch += AT_ONCE) {
            for (int k = batch; k < batch + AT_ONCE; k++) {
                RawConnection connection = broker.open();
                connection.send(Connect.mqtt311("halfdead-later-" + k).bytes());
                later.add(connection);
            }
            for (int k = batch; k < batch + AT_ONCE; k++) {
                Frame connack = later.get(k).expect(Frame.CONNACK, RawClients.ANSWER);
                assertThat(connack.describe())
                        .as("CONNACK of later client %d", k)
                        .isEqualTo("CONNACK sp=0 rc=0x00");
            }
        }
        for (int k = 0; k < LATER_CLIENTS; k++) {
            roundTripToItself(later.get(k), "halfdead/later/" + k);
        }
        hivemqRoundTrip();
    }

    /**
     * One persistent session: a QoS 1 delivery left unacknowledged when the socket drops, resent with DUP=1 after the
     * next CONNACK and acknowledged, then one more delivery acknowledged, then DISCONNECT.
     */
    private void shortSessionWithResend(RawConnection publisher, int i) {
        Connect session = Connect.mqtt311("halfdead-" + i).persistent();
        String topic = "halfdead/" + i;
        RawConnection first = broker.connected(session);
        RawClients.subscribe(first, topic, 1);
        publish(publisher, topic, "left-" + i);
        Frame delivered = first.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(delivered.payloadText()).isEqualTo("left-" + i);
        first.close(); // not acknowledged

        RawConnection again = broker.open();
        Frame connack = broker.connect(again, session);
        assertThat(connack.describe())
                .as("CONNACK of session %d coming back", i)
                .isEqualTo("CONNACK sp=1 rc=0x00");
        Frame resent = again.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(resent.describe())
                .isEqualTo("PUBLISH dup=1 q1 r0 id=" + delivered.packetId() + " topic='" + topic + "' payload='left-"
                        + i + "'");
        again.send(MqttBytes.puback(resent.packetId()));
        publish(publisher, topic, "next-" + i);
        Frame next = again.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(next.payloadText()).isEqualTo("next-" + i);
        again.send(MqttBytes.puback(next.packetId()));
        RawClients.disconnect(again);
    }

    /** A QoS 1 PUBLISH from a raw connection, acknowledged by the broker. */
    private void publish(RawConnection publisher, String topic, String payload) {
        int id = nextPublishId++;
        publisher.send(MqttBytes.publish(topic, payload, 1, id, false, false));
        Frame puback = publisher.expect(Frame.PUBACK, RawClients.ANSWER);
        assertThat(puback.packetId()).isEqualTo(id);
    }

    /** Subscribes to its own topic at QoS 1, publishes there at QoS 1: it gets the PUBACK and the message. */
    private static void roundTripToItself(RawConnection connection, String topic) {
        RawClients.subscribe(connection, topic, 1);
        connection.send(MqttBytes.publish(topic, "back", 1, 2, false, false));
        List<String> answers = new ArrayList<>();
        Frame delivery = null;
        for (int n = 0; n < 2; n++) {
            Frame frame = connection.expectFrame(RawClients.ANSWER);
            if (frame.type() == Frame.PUBLISH) {
                delivery = frame;
                answers.add("PUBLISH q" + frame.qos() + " topic='" + frame.topic() + "' payload='" + frame.payloadText()
                        + "'");
            } else {
                answers.add(frame.describe());
            }
        }
        assertThat(answers)
                .as("answers on %s", topic)
                .containsExactlyInAnyOrder("PUBACK id=2", "PUBLISH q1 topic='" + topic + "' payload='back'");
        assertThat(delivery).isNotNull();
        connection.send(MqttBytes.puback(delivery.packetId()));
        RawClients.disconnect(connection);
    }

    /** A QoS 1 message from one HiveMQ client to another. */
    private void hivemqRoundTrip() {
        CompletableFuture<String> received = new CompletableFuture<>();
        Mqtt3AsyncClient subscriber = broker.connectedClient("halfdead-hivemq-sub");
        subscriber
                .subscribeWith()
                .topicFilter("halfdead/hivemq")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.complete(new String(p.getPayloadAsBytes(), UTF_8)))
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        broker.connectedClient("halfdead-hivemq-pub")
                .publishWith()
                .topic("halfdead/hivemq")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("still alive".getBytes(UTF_8))
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        assertThat(received.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("still alive");
    }
}
