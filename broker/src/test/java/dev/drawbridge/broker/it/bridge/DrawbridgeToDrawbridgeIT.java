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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two Drawbridge brokers, one bridged to the other (a second house to the main one), in and out. */
class DrawbridgeToDrawbridgeIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void messagesGoOutAndComeInBetweenTwoDrawbridges(String version) throws Exception {
        try (BridgedDrawbridges bridged = bridgedDrawbridges(
                dir,
                "main-house",
                "second-house",
                version,
                "topic power/# out 2 \"\" second/",
                "topic lights/# in 1 \"\" second/")) {
            Drawbridge main = bridged.remote();
            Drawbridge second = bridged.local();
            try (ClientProcess atMain = subscriber(main.port(), "second/#");
                    ClientProcess atSecond = subscriber(second.port(), "lights/#", "power/#")) {
                publish(second.port(), "-t", "heating/on", "-m", "not-bridged", "-q", "1");
                publish(main.port(), "-t", "power/meter", "-m", "not-for-second", "-q", "1");
                publish(second.port(), "-t", "power/meter", "-m", "42", "-q", "2");
                publish(main.port(), "-t", "second/lights/hall", "-m", "on", "-q", "1");

                atMain.awaitLine("2 0 second/power/meter 42"::equals, WAIT);
                atSecond.awaitLine("1 0 lights/hall on"::equals, WAIT);
                assertThat(messages(atMain)).noneMatch(l -> l.contains("not-bridged"));
                assertThat(messages(atSecond)).noneMatch(l -> l.contains("not-for-second"));
            }
        }
        // Stopped cleanly: the bridges' thread is gone with the broker.
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("drawbridge-bridge"));
    }
}
