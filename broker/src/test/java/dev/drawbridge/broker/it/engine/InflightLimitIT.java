package dev.drawbridge.broker.it.engine;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code max_inflight_messages}: how many QoS 1/2 deliveries a client may have unacknowledged at once. */
class InflightLimitIT {

    @TempDir
    Path dir;

    private Drawbridge broker;
    private RawClients raw;

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
    void aSubscriberThatDoesNotAcknowledgeGetsThreeUntilItAcknowledgesOne() throws Exception {
        broker = DrawbridgeBroker.start(dir, List.of("max_inflight_messages 3"));
        raw = new RawClients(broker.port());
        RawConnection subscriber = raw.connected(Connect.mqtt311("inflight-subscriber"));
        RawClients.subscribe(subscriber, "inflight/t", 1);
        for (int i = 1; i <= 5; i++) {
            assertThat(pub(broker.port(), "-t", "inflight/t", "-q", "1", "-m", "m" + i)
                            .exitCode())
                    .isZero();
        }

        List<Frame> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(subscriber.expect(Frame.PUBLISH, RawClients.ANSWER));
        }
        assertThat(first).extracting(Frame::payloadText).containsExactly("m1", "m2", "m3");
        RawClients.nothingBeforePingResponse(subscriber, "a fourth delivery while three are unacknowledged");

        subscriber.send(MqttBytes.puback(first.get(0).packetId()));
        assertThat(subscriber.expect(Frame.PUBLISH, RawClients.ANSWER).payloadText())
                .isEqualTo("m4");
        RawClients.nothingBeforePingResponse(subscriber, "a fifth delivery after only one PUBACK");
    }
}
