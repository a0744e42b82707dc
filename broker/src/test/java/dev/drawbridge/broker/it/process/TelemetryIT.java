package dev.drawbridge.broker.it.process;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No phoning home: Moquette's {@code Server} writes {@code .moquette_uuid} into its data path before it sends
 * telemetry. A persistent broker run as a user runs it, in a working directory of its own, leaves no such file
 * anywhere under that directory (its store included).
 */
class TelemetryIT {

    @TempDir
    Path dir;

    @Test
    void aPersistentBrokerRunLeavesNoMoquetteUuid() throws Exception {
        int port = Ports.free();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location data\n",
                StandardCharsets.UTF_8);

        try (ClientProcess broker = BrokerJar.start(dir, "-c", "mosquitto.conf")) {
            assertThat(pub(port, "-t", "tele/retained", "-q", "1", "-r", "-m", "kept")
                            .exitCode())
                    .isZero();
            assertThat(subUntilDone(port, "-t", "tele/retained", "-C", "1", "-W", "10")
                            .stdout())
                    .containsExactly("kept");
            assertThat(BrokerJar.stop(broker)).isZero();
        }

        List<Path> everything;
        try (Stream<Path> walk = Files.walk(dir)) {
            everything = walk.toList();
        }
        // The store was really used, so the check below looked where Moquette would have written.
        assertThat(dir.resolve("data/drawbridge-store")).isDirectory();
        assertThat(everything)
                .as("files under the broker's working directory")
                .noneMatch(p -> p.getFileName().toString().equals(".moquette_uuid"));
    }
}
