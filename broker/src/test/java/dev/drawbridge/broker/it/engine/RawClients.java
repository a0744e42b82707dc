package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Raw connections for the engine tests, each closed with the test: connected, subscribed, and a ping barrier. */
final class RawClients implements AutoCloseable {

    static final Duration ANSWER = Duration.ofSeconds(5);

    private final List<RawConnection> open = new ArrayList<>();
    private final int port;

    RawClients(int port) {
        this.port = port;
    }

    /** A connection that has sent nothing yet. */
    RawConnection open() {
        RawConnection connection = RawConnection.open(port);
        open.add(connection);
        return connection;
    }

    /** Sends the CONNECT and returns the CONNACK, whatever its code. */
    Frame connect(RawConnection connection, Connect connect) {
        connection.send(connect.bytes());
        return connection.expect(Frame.CONNACK, ANSWER);
    }

    /** A connection whose CONNECT was accepted. */
    RawConnection connected(Connect connect) {
        RawConnection connection = open();
        Frame connack = connect(connection, connect);
        assertThat(connack.returnCode())
                .as("CONNACK for %s: %s", connect, connack)
                .isZero();
        return connection;
    }

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

    @Override
    public void close() {
        open.forEach(RawConnection::close);
    }
}
