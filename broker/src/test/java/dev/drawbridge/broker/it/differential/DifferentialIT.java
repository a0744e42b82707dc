package dev.drawbridge.broker.it.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each script in {@code src/test/resources/differential/} (MQTT 3.1.1 and 3.1) and {@code differential-v5/} (MQTT 5)
 * played against the real Mosquitto 2.0 and against Drawbridge with the same configuration: Mosquitto must answer as
 * the script says (else the script is wrong), and Drawbridge exactly as Mosquitto did. A script marked {@code differs}
 * records a deliberate difference (README, "Differences from Mosquitto", and a test of Drawbridge's own answer): it is
 * checked against Mosquitto and its Drawbridge half is reported as skipped with the reason.
 */
class DifferentialIT {

    @TempDir
    Path dir;

    static Stream<Script> scripts() throws IOException, URISyntaxException {
        // -Ddifferential.only=TEXT plays only the scripts whose names contain it (while writing one).
        String only = System.getProperty("differential.only", "");
        return Stream.concat(scripts("differential"), scripts("differential-v5"))
                .filter(s -> s.name().contains(only));
    }

    private static Stream<Script> scripts(String resource) throws IOException, URISyntaxException {
        URL folder = Objects.requireNonNull(DifferentialIT.class.getResource("/" + resource), resource + "/");
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            List<Path> sorted = files.filter(f -> f.getFileName().toString().endsWith(".script"))
                    .sorted()
                    .toList();
            List<Script> scripts = new ArrayList<>();
            for (Path file : sorted) {
                String name = (resource.endsWith("-v5") ? "v5/" : "")
                        + file.getFileName().toString().replaceFirst("\\.script$", "");
                scripts.add(Script.parse(name, Files.readString(file, StandardCharsets.UTF_8)));
            }
            return scripts.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void drawbridgeAnswersAsMosquittoDoes(Script script) throws Exception {
        List<String> expected = ScriptPlayer.expected(script);
        List<String> mosquitto;
        try (MosquittoBroker reference = MosquittoBroker.start(folder("mosquitto"), script.config())) {
            mosquitto = ScriptPlayer.play(script, reference.port());
            assertThat(mosquitto)
                    .as(
                            "Mosquitto's answers to %s (left) against what the script expects: the script is wrong%n"
                                    + "script expects:%n%s%nMosquitto log:%n%s",
                            script, String.join("\n", expected), reference.log())
                    .containsExactlyElementsOf(expected);
        }
        Assumptions.assumeTrue(
                script.differs() == null,
                "Drawbridge differs on purpose, checked against Mosquitto only: " + script.differs());
        try (Drawbridge broker = DrawbridgeBroker.start(dir.resolve("drawbridge"), script.config())) {
            List<String> drawbridge = ScriptPlayer.play(script, broker.port());
            assertThat(drawbridge)
                    .as("Drawbridge answering %s (left) against Mosquitto:%n%s", script, String.join("\n", mosquitto))
                    .containsExactlyElementsOf(mosquitto);
        }
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
