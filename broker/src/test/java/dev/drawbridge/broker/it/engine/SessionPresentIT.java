package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CONNACK session present flag where it must be 0 (MQTT-3.2.2-1/2; MQTT 3.1 has no such flag). */
class SessionPresentIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    @Test
    void aReturningMqtt31ClientGetsSessionPresent0() {
        Connect v31 = Connect.mqtt31("v31-persistent").persistent();
        RawClients.disconnect(broker.connected(v31));

        assertThat(broker.connect(broker.open(), v31).describe()).isEqualTo("CONNACK sp=0 rc=0x00");
    }

    @Test
    void aPersistentClientTakingOverALiveCleanSessionGetsSessionPresent0() {
        RawConnection clean = broker.connected(Connect.mqtt311("takeover"));

        Frame connack =
                broker.connect(broker.open(), Connect.mqtt311("takeover").persistent());

        assertThat(connack.describe()).isEqualTo("CONNACK sp=0 rc=0x00");
        clean.expectClosed(RawClients.ANSWER);
    }

    @Test
    void aPersistentClientAfterACleanOneLeftGetsSessionPresent0() {
        RawClients.disconnect(broker.connected(Connect.mqtt311("clean-then-persistent")));

        Frame connack = broker.connect(
                broker.open(), Connect.mqtt311("clean-then-persistent").persistent());

        assertThat(connack.describe()).isEqualTo("CONNACK sp=0 rc=0x00");
    }
}
