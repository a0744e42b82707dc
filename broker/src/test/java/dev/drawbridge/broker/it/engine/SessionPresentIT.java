package dev.drawbridge.broker.it.engine;

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

/** The CONNACK session present flag where it must be 0 (MQTT-3.2.2-1/2; MQTT 3.1 has no such flag). */
class SessionPresentIT {

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
    void aReturningMqtt31ClientGetsSessionPresent0() {
        Connect v31 = Connect.mqtt31("v31-persistent").persistent();
        disconnect(raw.connected(v31));

        assertThat(raw.connect(raw.open(), v31).describe()).isEqualTo("CONNACK sp=0 rc=0x00");
    }

    @Test
    void aPersistentClientTakingOverALiveCleanSessionGetsSessionPresent0() {
        RawConnection clean = raw.connected(Connect.mqtt311("takeover"));

        Frame connack = raw.connect(raw.open(), Connect.mqtt311("takeover").persistent());

        assertThat(connack.describe()).isEqualTo("CONNACK sp=0 rc=0x00");
        clean.expectClosed(RawClients.ANSWER);
    }

    @Test
    void aPersistentClientAfterACleanOneLeftGetsSessionPresent0() {
        disconnect(raw.connected(Connect.mqtt311("clean-then-persistent")));

        Frame connack =
                raw.connect(raw.open(), Connect.mqtt311("clean-then-persistent").persistent());

        assertThat(connack.describe()).isEqualTo("CONNACK sp=0 rc=0x00");
    }

    private static void disconnect(RawConnection connection) {
        connection.send(MqttBytes.DISCONNECT);
        connection.expectClosed(RawClients.ANSWER);
    }
}
