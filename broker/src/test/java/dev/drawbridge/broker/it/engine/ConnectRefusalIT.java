package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.MqttBytes.Will;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONNECTs that are refused with a CONNACK code and then closed, as Mosquitto 2.0.11 answers them. */
class ConnectRefusalIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    void unsupportedProtocolLevelGetsConnack01ThenClose() {
        broker.start();
        assertRefused(Connect.mqtt311("level-6").withProtocol("MQTT", 6), 0x01);
    }

    @Test
    void mqisdpWithLevel4GetsConnack01ThenClose() {
        broker.start();
        assertRefused(Connect.mqtt311("mqisdp-level-4").withProtocol("MQIsdp", 4), 0x01);
    }

    @Test
    void emptyClientIdWithoutCleanSessionGetsConnack02ThenClose() {
        broker.start();
        assertRefused(Connect.mqtt311("").persistent(), 0x02);
    }

    /** Mosquitto 2.0.11 answers a will payload over {@code message_size_limit} with CONNACK 0x05 and closes. */
    @Test
    void aWillLargerThanMessageSizeLimitIsRefusedWithConnack05() {
        broker.start("message_size_limit 100");
        Will big = new Will("will/big", "x".repeat(101).getBytes(UTF_8), 1, false);
        assertRefused(Connect.mqtt311("big-will").withWill(big), 0x05);

        Will small = new Will("will/small", "x".repeat(100).getBytes(UTF_8), 1, false);
        broker.connected(Connect.mqtt311("small-will").withWill(small));
    }

    private void assertRefused(Connect connect, int code) {
        RawConnection connection = broker.open();
        connection.send(connect.bytes());
        List<Frame> answer = connection.expectClosed(RawClients.ANSWER);
        assertThat(answer)
                .extracting(Frame::describe)
                .as("what the broker sent before closing")
                .containsExactly(String.format("CONNACK sp=0 rc=0x%02x", code));
    }
}
