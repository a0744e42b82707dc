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
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No phoning home, and nothing left behind but what the user asked for. Drawbridge's first core (Moquette) carried a
 * telemetry sender that wrote an id file before it sent; the jar now holds none of it, and a persistent broker run
 * leaves only its configuration and its store in its working directory (clean clients only here, so no list of
 * persistent clients either).
 */
class TelemetryIT {

    @TempDir
    Path dir;

    @Test
    void theJarCarriesNoClassOfTheFormerCore() throws Exception {
        try (JarFile jar = new JarFile(BrokerJar.jar().toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .as("entries of drawbridge.jar")
                    .isNotEmpty()
                    .noneMatch(name -> name.startsWith("io/moquette/"));
        }
    }

    @Test
    void aPersistentBrokerRunLeavesOnlyItsStoreBehind() throws Exception {
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

        List<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .toList();
        }
        assertThat(files)
                .as("files under the broker's working directory")
                .containsExactlyInAnyOrder("mosquitto.conf", "data/drawbridge-store/drawbridge-engine.mv");
    }
}
