package dev.drawbridge.broker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.it.hostile.RawSocket.Closed;
import dev.drawbridge.broker.it.hostile.RawSocket.Read;
import dev.drawbridge.broker.it.hostile.RawSocket.Silent;
import dev.drawbridge.broker.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT-3.1.2-24: a client silent for one and a half times its keepalive is disconnected (the device's offline
 * detection, its will, depends on it); one that sends anything in time, here PINGREQ, is not.
 */
class KeepaliveIT {

    private Drawbridge broker;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.connections();
        broker = Drawbridge.start(BrokerConfig.localOnly(0));
    }

    @AfterEach
    void stop() {
        broker.close();
        log.close();
    }

    @Test
    void aSilentClientWithKeepalive2IsClosedAfter3Seconds_MQTT_3_1_2_24() {
        try (RawSocket client = connected("silent-k2", 2)) {
            String peer = client.peer();

            Read early = client.read(Duration.ofMillis(2500));
            assertThat(early)
                    .as("2.5 s after the CONNACK (keepalive 2 s: the limit is 3 s)")
                    .isInstanceOf(Silent.class);
            Read late = client.read(Duration.ofMillis(2500));
            assertThat(late).as("5 s after the CONNACK").isInstanceOf(Closed.class);
            log.await(
                    m -> m.equals("Client from " + peer + " has exceeded timeout, disconnecting."),
                    Duration.ofSeconds(2));
        }
    }

    @Test
    void aPingreqEvery1point9SecondsKeepsAKeepalive2ClientConnected() {
        try (RawSocket client = connected("pinging-k2", 2)) {
            for (int i = 0; i < 4; i++) {
                // The wait for silence is the interval: nothing may arrive, and the connection must stay open.
                assertThat(client.read(Duration.ofMillis(1900)))
                        .as("round %d", i)
                        .isInstanceOf(Silent.class);
                client.send(Wire.PINGREQ);
                assertThat(Wire.describe(client.expectPacket(Duration.ofSeconds(1))))
                        .as("round %d", i)
                        .isEqualTo(Wire.describe(Wire.PINGRESP));
            }
        }
    }

    private RawSocket connected(String clientId, int keepalive) {
        RawSocket socket = RawSocket.open(broker.port());
        byte[] connect = Wire.connect(clientId);
        // keepalive is bytes 10-11 of this CONNECT: 10 len 0004 MQTT 04 02 [keepalive]
        connect[10] = (byte) (keepalive >> 8);
        connect[11] = (byte) keepalive;
        socket.send(connect);
        assertThat(Wire.describe(socket.expectPacket(Duration.ofSeconds(5))))
                .isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        return socket;
    }
}
