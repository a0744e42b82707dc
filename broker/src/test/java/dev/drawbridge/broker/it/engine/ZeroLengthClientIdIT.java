package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import dev.drawbridge.broker.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT-3.1.3-6/7/8: an empty client id with clean session 1 gets an id made by the broker ({@code auto-} and a UUID,
 * as Mosquitto names it), unless {@code allow_zero_length_clientid false}, which refuses it with CONNACK 0x02.
 */
class ZeroLengthClientIdIT {

    private static final Pattern CONNECTED = Pattern.compile(
            "New client connected from 127\\.0\\.0\\.1:\\d+ as (auto-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12})"
                    + " \\(p2, c1, k60\\)\\.");

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.connections();
    }

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void twoClientsWithEmptyIdsGetTheirOwnAutoIdsAndBothWork_MQTT_3_1_3_6() throws Exception {
        broker.start();
        RawConnection first = broker.connected(Connect.mqtt311(""));
        RawConnection second = broker.connected(Connect.mqtt311(""));
        Awaitility.await("two connection lines with auto- ids")
                .atMost(Duration.ofSeconds(5))
                .until(() -> autoIds().size() == 2);
        assertThat(autoIds()).as("generated ids").doesNotHaveDuplicates();

        // Distinct ids: neither connection took the other over, and both route messages.
        RawClients.subscribe(first, "auto/t", 0);
        RawClients.subscribe(second, "auto/t", 0);
        broker.publish("-t", "auto/t", "-m", "hello");
        for (RawConnection client : List.of(first, second)) {
            Frame delivered = client.expect(Frame.PUBLISH, RawClients.ANSWER);
            assertThat(delivered.payloadText()).isEqualTo("hello");
        }
    }

    @Test
    void anEmptyIdIsRefusedWithConnack02WhenZeroLengthIdsAreOff() {
        broker.start("allow_zero_length_clientid false");
        RawConnection connection = broker.open();
        connection.send(Connect.mqtt311("").bytes());
        assertThat(connection.expectClosed(RawClients.ANSWER))
                .extracting(Frame::describe)
                .as("what the broker sent before closing")
                .containsExactly("CONNACK sp=0 rc=0x02");
        log.await(
                m -> m.matches("Client from 127\\.0\\.0\\.1:\\d+ refused: empty client id\\."), Duration.ofSeconds(5));
        assertThat(autoIds()).as("generated ids").isEmpty();
    }

    private List<String> autoIds() {
        return log.messages().stream()
                .map(CONNECTED::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .toList();
    }
}
