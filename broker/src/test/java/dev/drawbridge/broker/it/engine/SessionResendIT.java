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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT-4.4.0-1: a persistent session's unacknowledged QoS 1 and QoS 2 deliveries are sent again right after CONNACK
 * when the client comes back, DUP 1, same packet ids, in order — within a second, not on a later retry timer.
 */
class SessionResendIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(1);

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

    @Test
    void unacknowledgedQos1AndQos2AreResentWithDupRightAfterConnack() throws Exception {
        Connect session = Connect.mqtt311("resend-subscriber").persistent();
        RawConnection first = raw.connected(session);
        RawClients.subscribe(first, "resend/#", 2);
        assertThat(pub(broker.port(), "-t", "resend/one", "-q", "1", "-m", "first")
                        .exitCode())
                .isZero();
        assertThat(pub(broker.port(), "-t", "resend/two", "-q", "2", "-m", "second")
                        .exitCode())
                .isZero();
        Frame one = first.expect(Frame.PUBLISH, RawClients.ANSWER);
        Frame two = first.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(List.of(one.qos(), two.qos())).containsExactly(1, 2);
        first.close(); // neither acknowledged

        RawConnection again = raw.open();
        again.send(session.bytes());
        Frame connack = again.expect(Frame.CONNACK, RawClients.ANSWER);
        assertThat(connack.sessionPresent()).isTrue();
        Frame resentOne = again.expectFrame(AT_ONCE);
        Frame resentTwo = again.expectFrame(AT_ONCE);
        assertThat(List.of(resentOne.describe(), resentTwo.describe()))
                .containsExactly(
                        "PUBLISH dup=1 q1 r0 id=" + one.packetId() + " topic='resend/one' payload='first'",
                        "PUBLISH dup=1 q2 r0 id=" + two.packetId() + " topic='resend/two' payload='second'");

        again.send(MqttBytes.concat(MqttBytes.puback(one.packetId()), MqttBytes.pubrec(two.packetId())));
        assertThat(again.expectFrame(RawClients.ANSWER).describe()).isEqualTo("PUBREL id=" + two.packetId());
        again.send(MqttBytes.pubcomp(two.packetId()));
        RawClients.nothingBeforePingResponse(again, "nothing more once both are acknowledged");
    }
}
