package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A QoS 2 PUBLISH whose packet id still waits for its PUBREL (MQTT 3.1.1 section 4.3.3): the same topic and payload
 * again is the same message, acknowledged with PUBREC and not delivered again (MQTT-4.3.3-9); another message under that
 * id is a new message, acknowledged with PUBREC and delivered once, with DUP or without, as Mosquitto 2.0.11 takes it
 * (differential scripts {@code MQTT-4.3.3-qos2-packet-id-reused-*}). A deliberate difference: Drawbridge delivers a QoS
 * 2 message when it arrives, so the first message has reached its subscribers before the id is reused, where Mosquitto,
 * which delivers at the PUBREL, drops it.
 */
class Qos2PacketIdReuseIT {

    private static final int PACKET_ID = 7;

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    @ParameterizedTest(name = "the second message with DUP={0}")
    @ValueSource(booleans = {false, true})
    void aPacketIdReusedForAnotherMessageBeforeItsPubrelDeliversBothMessagesOnce(boolean dup) {
        RawConnection subscriber = broker.connected(Connect.mqtt311("q2-reuse-sub"));
        RawClients.subscribe(subscriber, "q2reuse/t", 0);
        RawConnection publisher = broker.connected(Connect.mqtt311("q2-reuse-pub"));

        published(publisher, "first", false);
        assertThat(subscriber.expect(Frame.PUBLISH, RawClients.ANSWER).payloadText())
                .as("delivered when it arrived")
                .isEqualTo("first");
        published(publisher, "second", dup);
        assertThat(subscriber.expect(Frame.PUBLISH, RawClients.ANSWER).payloadText())
                .as("another message under the packet id still waiting for its PUBREL")
                .isEqualTo("second");
        published(publisher, "second", true);
        publisher.send(MqttBytes.pubrel(PACKET_ID));
        assertThat(publisher.expect(Frame.PUBCOMP, RawClients.ANSWER).packetId())
                .isEqualTo(PACKET_ID);

        RawClients.nothingBeforePingResponse(subscriber, "the second message, sent again with DUP, delivered twice");
    }

    /** A QoS 2 PUBLISH with {@link #PACKET_ID}, answered with PUBREC. */
    private static void published(RawConnection publisher, String payload, boolean dup) {
        publisher.send(MqttBytes.publish("q2reuse/t", payload, 2, PACKET_ID, false, dup));
        Frame pubrec = publisher.expect(Frame.PUBREC, RawClients.ANSWER);
        assertThat(pubrec.packetId()).as("PUBREC for %s", payload).isEqualTo(PACKET_ID);
    }
}
