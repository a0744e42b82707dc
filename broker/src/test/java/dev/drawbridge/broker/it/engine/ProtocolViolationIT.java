package dev.drawbridge.broker.it.engine;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that break the publish flows are disconnected. */
class ProtocolViolationIT {

    @TempDir
    Path dir;

    private Drawbridge broker;
    private RawClients raw;

    @BeforeEach
    void start() {
        broker = DrawbridgeBroker.start(dir, List.of());
        raw = new RawClients(broker.port());
    }

    @AfterEach
    void stop() {
        if (raw != null) {
            raw.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * MQTT-3.3.1-2: DUP must be 0 on a QoS 0 PUBLISH. A deliberate difference: Mosquitto 2.0.11 accepts such a PUBLISH
     * and delivers it with DUP cleared; Drawbridge treats it as the protocol violation it is and closes.
     */
    @Test
    void qos0PublishWithDupClosesTheConnection() {
        RawConnection watcher = raw.connected(Connect.mqtt311("dup0-watcher"));
        RawClients.subscribe(watcher, "dup0/t", 0);
        RawConnection sender = raw.connected(Connect.mqtt311("dup0-sender"));

        sender.send(MqttBytes.publish("dup0/t", "bad", 0, 0, false, true));

        assertThat(sender.expectClosed(RawClients.ANSWER))
                .as("packets before the close")
                .isEmpty();
        RawClients.nothingBeforePingResponse(watcher, "the malformed PUBLISH is not delivered");
    }

    /** MQTT-4.3.2: a QoS 1 delivery is answered with PUBACK; a PUBREC for it breaks the protocol. */
    @Test
    void pubrecForAQos1DeliveryDisconnectsTheClient() throws Exception {
        RawConnection subscriber = raw.connected(Connect.mqtt311("wrong-ack-q1"));
        RawClients.subscribe(subscriber, "wrongack/q1", 1);
        assertThat(pub(broker.port(), "-t", "wrongack/q1", "-q", "1", "-m", "m").exitCode())
                .isZero();
        Frame delivery = subscriber.expect(Frame.PUBLISH, RawClients.ANSWER);

        subscriber.send(MqttBytes.pubrec(delivery.packetId()));

        assertThat(subscriber.expectClosed(RawClients.ANSWER))
                .as("packets before the close")
                .isEmpty();
    }

    /** MQTT-4.3.3: a QoS 2 delivery is answered with PUBREC; a PUBACK for it breaks the protocol. */
    @Test
    void pubackForAQos2DeliveryDisconnectsTheClient() throws Exception {
        RawConnection subscriber = raw.connected(Connect.mqtt311("wrong-ack-q2"));
        RawClients.subscribe(subscriber, "wrongack/q2", 2);
        assertThat(pub(broker.port(), "-t", "wrongack/q2", "-q", "2", "-m", "m").exitCode())
                .isZero();
        Frame delivery = subscriber.expect(Frame.PUBLISH, RawClients.ANSWER);

        subscriber.send(MqttBytes.puback(delivery.packetId()));

        assertThat(subscriber.expectClosed(RawClients.ANSWER))
                .as("packets before the close")
                .isEmpty();
    }
}
