package dev.drawbridge.broker.it.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persistence_mode autosave} "saves every {@code autosave_interval}, and a crash loses up to that interval": a
 * retained message set more than two intervals before {@code kill -9} of {@code java -jar drawbridge.jar} is there
 * after the restart.
 */
class AutosaveKill9IT {

    private static final int INTERVAL_SECONDS = 1;

    /** Exit status of a JVM that died of SIGKILL: 128 + 9. */
    private static final int KILLED = 137;

    @TempDir
    Path dir;

    private @Nullable ClientProcess broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aRetainedMessageOlderThanTwoAutosaveIntervalsSurvivesKill9() throws Exception {
        int port = Ports.free();
        Path store = Files.createDirectories(dir.resolve("store"));
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store
                        + "\npersistence_mode autosave\nautosave_interval " + INTERVAL_SECONDS + "\n",
                StandardCharsets.UTF_8);
        ClientProcess first = BrokerJar.start(dir, "-c", conf.toString());
        broker = first;

        RetainedProbe.publish(port, "set before the crash");
        long publishedAt = System.nanoTime();
        // Control: the broker holds it while it runs.
        assertThat(RetainedProbe.read(port)).contains("set before the crash");
        // What the claim is about is time itself: let more than two autosave intervals pass.
        Duration twoIntervals = Duration.ofMillis(2 * INTERVAL_SECONDS * 1000L + 500);
        await("two autosave intervals")
                .atMost(twoIntervals.plusSeconds(5))
                .until(() -> System.nanoTime() - publishedAt > twoIntervals.toNanos());

        BrokerJar.signal(first, "KILL");
        assertThat(first.waitFor(Duration.ofSeconds(20)))
                .as("exit status after kill -9")
                .isEqualTo(KILLED);
        broker = BrokerJar.start(dir, "-c", conf.toString());

        assertThat(RetainedProbe.read(port)).as("retained after the restart").contains("set before the crash");
    }
}
