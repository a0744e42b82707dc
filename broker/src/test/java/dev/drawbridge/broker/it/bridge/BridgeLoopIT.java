package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.bridgedDrawbridges;
import static dev.drawbridge.broker.it.bridge.BridgeSides.messages;
import static dev.drawbridge.broker.it.bridge.BridgeSides.publish;
import static dev.drawbridge.broker.it.bridge.BridgeSides.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.bridge.BridgeSides.BridgedDrawbridges;
import dev.drawbridge.broker.testing.ClientProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A loop: A bridges {@code #} both ways with B. Each message crosses once and never comes back: at MQTT 3.1.1 because
 * B honours try_private (the bridge's subscriptions are no local), at MQTT 5 by no-local. An echo loop would deliver
 * dozens of copies within the quiet period.
 */
class BridgeLoopIT {

    private static final Duration QUIET = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void aMessageCrossesABothWaysBridgeOnceAndDoesNotEcho(String version) throws Exception {
        try (BridgedDrawbridges bridged =
                bridgedDrawbridges(dir, "loop", "loop", version, "try_private true", "topic # both 1")) {
            Drawbridge a = bridged.local();
            Drawbridge b = bridged.remote();
            try (ClientProcess atA = subscriber(a.port(), "loop/#");
                    ClientProcess atB = subscriber(b.port(), "loop/#")) {
                publish(a.port(), "-t", "loop/a", "-m", "from-a", "-q", "1");
                publish(b.port(), "-t", "loop/b", "-m", "from-b", "-q", "1");
                for (ClientProcess sub : List.of(atA, atB)) {
                    sub.awaitLine("1 0 loop/a from-a"::equals, WAIT);
                    sub.awaitLine("1 0 loop/b from-b"::equals, WAIT);
                }
                // Every delivery counted over the quiet period: one copy each, never more.
                Awaitility.await("no echo within " + QUIET)
                        .during(QUIET)
                        .atMost(QUIET.multipliedBy(3))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> messages(atA).size() == 2 && messages(atB).size() == 2);
                // The barrier: a later marker from B has reached A's subscriber, so any echo sent before it would
                // have been seen by now.
                publish(b.port(), "-t", "loop/marker", "-m", "end", "-q", "1");
                atA.awaitLine("1 0 loop/marker end"::equals, WAIT);
                atB.awaitLine("1 0 loop/marker end"::equals, WAIT);
                for (ClientProcess sub : List.of(atA, atB)) {
                    assertThat(messages(sub))
                            .as("every delivery, in order of arrival")
                            .containsExactlyInAnyOrder("1 0 loop/a from-a", "1 0 loop/b from-b", "1 0 loop/marker end");
                }
            }
        }
    }
}
