package dev.drawbridge.broker.it.engine;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients that break the publish flows are disconnected. */
class ProtocolViolationIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    /**
     * MQTT-3.3.1-2: DUP must be 0 on a QoS 0 PUBLISH. A deliberate difference: Mosquitto 2.0.11 accepts such a PUBLISH
     * and delivers it with DUP cleared; Drawbridge treats it as the protocol violation it is and closes.
     */
    @Test
    void qos0PublishWithDupClosesTheConnection() {
        RawConnection watcher = broker.connected(Connect.mqtt311("dup0-watcher"));
        RawClients.subscribe(watcher, "dup0/t", 0);
        RawConnection sender = broker.connected(Connect.mqtt311("dup0-sender"));

        sender.send(MqttBytes.publish("dup0/t", "bad", 0, 0, false, true));

        RawClients.closedWithoutAnswer(sender);
        RawClients.nothingBeforePingResponse(watcher, "the malformed PUBLISH is not delivered");
    }

    /** MQTT-4.3.2: a QoS 1 delivery is answered with PUBACK; a PUBREC for it breaks the protocol. */
    @Test
    void pubrecForAQos1DeliveryDisconnectsTheClient() throws Exception {
        wrongAcknowledgementDisconnects("wrong-ack-q1", "wrongack/q1", 1, MqttBytes::pubrec);
    }

    /**
     * MQTT-4.3.2: a QoS 1 delivery is answered with PUBACK; a PUBCOMP for it breaks the protocol (Mosquitto 2.0.11 closes
     * too: differential script {@code MQTT-4.3.2-pubcomp-for-qos1-delivery-closes}). A PUBREL has no such case: it
     * answers the client's own QoS 2 PUBLISH, never a delivery.
     */
    @Test
    void pubcompForAQos1DeliveryDisconnectsTheClient() throws Exception {
        wrongAcknowledgementDisconnects("wrong-ack-comp-q1", "wrongack/comp-q1", 1, MqttBytes::pubcomp);
    }

    /** MQTT-4.3.3: a QoS 2 delivery is answered with PUBREC; a PUBACK for it breaks the protocol. */
    @Test
    void pubackForAQos2DeliveryDisconnectsTheClient() throws Exception {
        wrongAcknowledgementDisconnects("wrong-ack-q2", "wrongack/q2", 2, MqttBytes::puback);
    }

    /** A subscriber gets one delivery at this QoS, answers it with the given packet, and is closed for it. */
    private void wrongAcknowledgementDisconnects(String id, String topic, int qos, IntFunction<byte[]> wrongAck)
            throws Exception {
        RawConnection subscriber = broker.connected(Connect.mqtt311(id));
        RawClients.subscribe(subscriber, topic, qos);
        broker.publish("-t", topic, "-q", Integer.toString(qos), "-m", "m");
        Frame delivery = subscriber.expect(Frame.PUBLISH, RawClients.ANSWER);

        subscriber.send(wrongAck.apply(delivery.packetId()));

        RawClients.closedWithoutAnswer(subscriber);
    }
}
