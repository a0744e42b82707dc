package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT-4.4.0-1: a persistent session's unacknowledged QoS 1 and QoS 2 deliveries are sent again right after CONNACK
 * when the client comes back, DUP 1, same packet ids, in order — within a second, not on a later retry timer.
 */
class SessionResendIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    @Test
    void unacknowledgedQos1AndQos2AreResentWithDupRightAfterConnack() throws Exception {
        Connect session = Connect.mqtt311("resend-subscriber").persistent();
        RawConnection first = broker.connected(session);
        RawClients.subscribe(first, "resend/#", 2);
        broker.publish("-t", "resend/one", "-q", "1", "-m", "first");
        broker.publish("-t", "resend/two", "-q", "2", "-m", "second");
        Frame one = first.expect(Frame.PUBLISH, RawClients.ANSWER);
        Frame two = first.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(List.of(one.qos(), two.qos())).containsExactly(1, 2);
        first.close(); // neither acknowledged

        RawConnection again = broker.open();
        Frame connack = broker.connect(again, session);
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
