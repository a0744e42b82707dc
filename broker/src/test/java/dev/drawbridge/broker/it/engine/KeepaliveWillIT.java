package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.MqttBytes.Will;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT-3.1.2-24 and 3.1.2-8: a client that sends nothing for 1.5 times its keepalive is disconnected, and because
 * it did not send DISCONNECT its will is published (the device's offline detection depends on both).
 */
class KeepaliveWillIT {

    /** Keepalive 1 s: closed after 1.5 s (2 s rounded), with slack for a loaded machine. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(6);

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    @Test
    void aSilentClientIsDisconnectedAndItsWillIsPublished_MQTT_3_1_2_24() {
        RawConnection watcher = broker.connected(Connect.mqtt311("will-watcher"));
        RawClients.subscribe(watcher, "will/silent", 1);
        Will will = new Will("will/silent", "offline".getBytes(UTF_8), 1, false);

        long start = System.nanoTime();
        RawConnection silent =
                broker.connected(Connect.mqtt311("silent-k1").withKeepalive(1).withWill(will));
        assertThat(silent.expectClosed(CLOSED_WITHIN))
                .as("packets the broker sent the silent client before closing it")
                .isEmpty();
        Duration silence = Duration.ofNanos(System.nanoTime() - start);
        assertThat(silence)
                .as("time until the broker closed the silent client")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        Frame published = watcher.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(published.topic()).isEqualTo("will/silent");
        assertThat(published.payloadText()).isEqualTo("offline");
        assertThat(published.qos()).isEqualTo(1);
    }
}
