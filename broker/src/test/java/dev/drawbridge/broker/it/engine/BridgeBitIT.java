package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose CONNECT has the bridge bit (protocol level 0x84 for MQTT 3.1.1, 0x83 for 3.1: Mosquitto's
 * {@code try_private}) is logged as a bridge, in Mosquitto 2.0.11's words ("New bridge connected from ... as ...").
 * Like Mosquitto, the broker asks nothing more of it: the bit only changes how its subscriptions deliver (the
 * {@code bridge-*} scripts of {@code DifferentialIT}).
 */
class BridgeBitIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    void aBridgeIsLoggedAsABridgeAndAPlainClientAsAClient() {
        broker.start();
        try (LogCapture log = LogCapture.connections()) {
            broker.connected(Connect.mqtt311("bridge-311").withProtocol("MQTT", 0x84));
            broker.connected(Connect.mqtt31("bridge-31").withProtocol("MQIsdp", 0x83));
            broker.connected(Connect.mqtt311("plain-311"));

            Duration wait = Duration.ofSeconds(5);
            log.await(
                    m -> m.matches("New client connected from 127\\.0\\.0\\.1:\\d+ as plain-311 \\(p2, c1, k60\\)\\."),
                    wait);
            log.await(
                    m -> m.matches("New bridge connected from 127\\.0\\.0\\.1:\\d+ as bridge-311 \\(p2, c1, k60\\)\\."),
                    wait);
            log.await(
                    m -> m.matches("New bridge connected from 127\\.0\\.0\\.1:\\d+ as bridge-31 \\(p1, c1, k60\\)\\."),
                    wait);
            assertThat(log.messages())
                    .as("the plain client is no bridge, the bridges no plain clients")
                    .noneMatch(m -> m.startsWith("New bridge connected") && m.contains(" as plain-311 "))
                    .noneMatch(m -> m.startsWith("New client connected") && m.contains(" as bridge-"));
        }
    }

    /**
     * Level 0x85 (the bit on MQTT 5) is closed without a CONNACK, also laid out like MQTT 3.1.1, where Mosquitto 2.0.11
     * answers an MQTT 5 CONNACK (DifferentialIT {@code bridge-0x85-mqtt311-layout-mosquitto-accepts}).
     */
    @Test
    void level0x85IsClosedWithoutAnAnswer() {
        broker.start();
        var connection = broker.open();
        connection.send(Connect.mqtt311("bit-on-5").withProtocol("MQTT", 0x85).bytes());
        RawClients.closedWithoutAnswer(connection);
        broker.connected(Connect.mqtt311("bit-on-4").withProtocol("MQTT", 0x84));
    }
}
