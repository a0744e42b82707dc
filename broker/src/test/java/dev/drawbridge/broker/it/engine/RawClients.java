package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.time.Duration;

/**
 * The checked steps the engine tests take on a raw connection ({@link EngineBroker} opens them): subscribed, a ping
 * barrier, a clean disconnect, a close with nothing before it.
 */
final class RawClients {

    static final Duration ANSWER = Duration.ofSeconds(5);

    private RawClients() {}

    /** Subscribes with packet id 1 and checks the SUBACK grants the QoS. */
    static void subscribe(RawConnection connection, String filter, int qos) {
        connection.send(MqttBytes.subscribe(1, filter, qos));
        Frame suback = connection.expect(Frame.SUBACK, ANSWER);
        assertThat(suback.returnCodes()).as("SUBACK for %s", filter).containsExactly(qos);
    }

    /**
     * PINGREQ, and the next packet must be its PINGRESP: whatever the broker had already written to this connection
     * (a delivery too many, say) would come first and fail the test.
     */
    static void nothingBeforePingResponse(RawConnection connection, String why) {
        connection.send(MqttBytes.PINGREQ);
        Frame next = connection.expectFrame(ANSWER);
        assertThat(next.describe()).as(why).isEqualTo("PINGRESP");
    }

    /** DISCONNECT, and the broker closes the connection. */
    static void disconnect(RawConnection connection) {
        connection.send(MqttBytes.DISCONNECT);
        connection.expectClosed(ANSWER);
    }

    /** The broker closes the connection without sending anything before. */
    static void closedWithoutAnswer(RawConnection connection) {
        assertThat(connection.expectClosed(ANSWER))
                .as("packets before the close")
                .isEmpty();
    }
}
