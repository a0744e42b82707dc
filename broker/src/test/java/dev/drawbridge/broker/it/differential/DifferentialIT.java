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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * checked against Mosquitto and its Drawbridge half is reported as skipped with the reason. The reason string of a
 * refused MQTT 5 CONNACK, which Mosquitto 2.0.11 never sends, is checked and then left out of the comparison
 * ({@link #withoutRefusalReasonString}).
 */
public class DifferentialIT {

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
            List<String> drawbridge = ScriptPlayer.play(script, broker.port()).stream()
                    .map(DifferentialIT::withoutRefusalReasonString)
                    .toList();
            assertThat(drawbridge)
                    .as("Drawbridge answering %s (left) against Mosquitto:%n%s", script, String.join("\n", mosquitto))
                    .containsExactlyElementsOf(mosquitto);
        }
    }

    /**
     * The reason string of each refused MQTT 5 CONNACK, as the README lists them: a fixed text per code, written here
     * rather than taken from the broker.
     */
    private static final Map<String, String> REFUSAL_REASONS = Map.ofEntries(
            Map.entry("0x80", "unspecified error"),
            Map.entry("0x84", "unsupported protocol version"),
            Map.entry("0x85", "client identifier not valid"),
            Map.entry("0x86", "bad user name or password"),
            Map.entry("0x87", "not authorized"),
            Map.entry("0x8c", "bad authentication method"),
            Map.entry("0x95", "packet too large"),
            Map.entry("0x9a", "retain not supported"),
            Map.entry("0x9b", "QoS not supported"));

    /** The reason string a refused MQTT 5 CONNACK with this code carries, from the table above. */
    public static String refusalReason(int reasonCode) {
        String code = String.format(Locale.ROOT, "0x%02x", reasonCode);
        String text = REFUSAL_REASONS.get(code);
        if (text == null) {
            throw new IllegalArgumentException("no reason string for CONNACK " + code);
        }
        return text;
    }

    /** A refused MQTT 5 CONNACK as {@link Mqtt5Frame} describes it, with its reason string last among its properties. */
    private static final Pattern REFUSAL_WITH_REASON =
            Pattern.compile("(.*CONNACK sp=0 rc=(0x[89a-f][0-9a-f])) props\\[(.*?)(?:, )?reason-string='([^']*)'\\]");

    /**
     * Drawbridge's one deliberate addition to what Mosquitto 2.0.11 answers (README, "Differences from Mosquitto"): a
     * refused MQTT 5 CONNACK carries the reason string of its code. It must be exactly that code's text; then it is
     * taken out so that everything else in the CONNACK, and every other line, compares with Mosquitto unchanged
     * ({@code ConnAckReasonStringIT} pins the bytes, and where the client's maximum packet size leaves it out).
     */
    static String withoutRefusalReasonString(String line) {
        Matcher refusal = REFUSAL_WITH_REASON.matcher(line);
        if (!refusal.matches()) {
            return line;
        }
        String code = refusal.group(2);
        assertThat(refusal.group(4))
                .as("the reason string of CONNACK %s in: %s", code, line)
                .isEqualTo(REFUSAL_REASONS.get(code));
        String others = refusal.group(3);
        return refusal.group(1) + (others.isEmpty() ? "" : " props[" + others + "]");
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
