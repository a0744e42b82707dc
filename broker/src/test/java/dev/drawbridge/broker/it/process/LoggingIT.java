package dev.drawbridge.broker.it.process;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's log in Mosquitto's words, so that existing greps keep working: {@code New client connected from
 * 127.0.0.1:PORT as ID (p2, c1, k60).}, {@code Client ID disconnected.}, with {@code log_dest} and
 * {@code connection_messages} honoured.
 */
class LoggingIT {

    private static final Duration LINE = Duration.ofSeconds(10);
    /** The timestamp Drawbridge puts before every line: ISO-8601 to the second. */
    private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: ";

    @TempDir
    Path dir;

    private final List<ClientProcess> brokers = new ArrayList<>();
    private int port;

    @AfterEach
    void killLeftovers() {
        brokers.forEach(ClientProcess::close);
    }

    private ClientProcess start(String extraConfig) throws IOException {
        writeConfig(extraConfig);
        ClientProcess broker = BrokerJar.start(dir, "-c", "mosquitto.conf");
        brokers.add(broker);
        return broker;
    }

    private void writeConfig(String extraConfig) throws IOException {
        port = Ports.free();
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\n" + extraConfig,
                StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static Pattern line(String message) {
        return Pattern.compile(STAMP + message);
    }

    private static Pattern connected(String id, String flags) {
        return line("New client connected from 127\\.0\\.0\\.1:\\d{1,5} as " + Pattern.quote(id) + " \\("
                + Pattern.quote(flags) + "\\)\\.");
    }

    private static void awaitLine(ClientProcess broker, Pattern pattern) {
        broker.awaitLine(pattern.asMatchPredicate(), LINE);
    }

    @Test
    void aCleanClientIsLoggedInMosquittosWords() throws Exception {
        ClientProcess broker = start("");

        assertThat(pub(port, "-i", "garage", "-t", "log/a", "-m", "x").exitCode())
                .isZero();

        awaitLine(broker, connected("garage", "p2, c1, k60"));
        awaitLine(broker, line("Client garage disconnected\\."));
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    @Test
    void protocolCleanSessionKeepaliveAndUsernameAreShown() throws Exception {
        ClientProcess broker = start("");

        assertThat(pub(port, "-V", "mqttv31", "-k", "30", "-u", "alice", "-i", "old", "-t", "log/b", "-m", "x")
                        .exitCode())
                .isZero();
        assertThat(subUntilDone(port, "-c", "-q", "1", "-i", "keeper", "-k", "45", "-t", "log/c", "-E")
                        .exitCode())
                .isZero();

        awaitLine(broker, connected("old", "p1, c1, k30, u'alice'"));
        awaitLine(broker, connected("keeper", "p2, c0, k45"));
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    @Test
    void aClientThatDropsWithoutDisconnectIsLoggedAsClosingItsConnection() throws Exception {
        ClientProcess broker = start("");
        try (ClientProcess client = subscribed(port, "-i", "dropper", "-t", "log/d")) {
            awaitLine(broker, connected("dropper", "p2, c1, k60"));

            client.kill();

            awaitLine(broker, line("Client dropper closed its connection\\."));
        }
        assertThat(broker.output()).noneMatch(l -> l.endsWith("Client dropper disconnected."));
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    @Test
    void logDestFileWritesThere() throws Exception {
        Path logFile = dir.resolve("logs/drawbridge.log");
        Files.createDirectories(logFile.getParent());
        writeConfig("log_dest file " + logFile + "\n");
        ClientProcess broker = BrokerJar.launch(dir, "-c", "mosquitto.conf");
        brokers.add(broker);
        Awaitility.await("the running line in " + logFile)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !broker.isAlive() || lines(logFile).stream().anyMatch(BrokerJar.RUNNING));
        assertThat(broker.isAlive()).as("broker output: %s", broker.output()).isTrue();

        assertThat(pub(port, "-i", "filed", "-t", "log/e", "-m", "x").exitCode())
                .isZero();

        Awaitility.await("connection lines in " + logFile)
                .atMost(LINE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> lines(logFile).stream()
                                .anyMatch(connected("filed", "p2, c1, k60").asMatchPredicate())
                        && lines(logFile).stream()
                                .anyMatch(line("Client filed disconnected\\.").asMatchPredicate()));
        assertThat(BrokerJar.stop(broker)).isZero();
        assertThat(lines(logFile)).anyMatch(l -> l.matches(STAMP + "drawbridge version \\S+ terminating"));
        // Only the file: no connection line on stderr or stdout.
        assertThat(broker.output()).noneMatch(l -> l.contains("filed"));
    }

    @Test
    void logDestStdoutWritesToStdout() throws Exception {
        ClientProcess broker = start("log_dest stdout\n");

        assertThat(pub(port, "-i", "outward", "-t", "log/f", "-m", "x").exitCode())
                .isZero();

        Awaitility.await("the connection line on stdout")
                .atMost(LINE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> broker.stdout().stream()
                        .anyMatch(connected("outward", "p2, c1, k60").asMatchPredicate()));
        assertThat(BrokerJar.stop(broker)).isZero();
        assertThat(broker.stderr()).noneMatch(l -> l.contains("outward"));
    }

    @Test
    void connectionMessagesFalseSuppressesThem() throws Exception {
        ClientProcess broker = start("connection_messages false\n");

        assertThat(pub(port, "-i", "silent", "-t", "log/g", "-m", "x").exitCode())
                .isZero();
        try (ClientProcess client = subscribed(port, "-i", "dropped", "-t", "log/h")) {
            client.kill();
        }

        // Stopping flushes everything the broker would have logged about them.
        assertThat(BrokerJar.stop(broker)).isZero();
        List<String> output = broker.output();
        assertThat(output).anyMatch(l -> l.matches(STAMP + "drawbridge version \\S+ terminating"));
        assertThat(output).noneMatch(l -> l.contains("New client connected"));
        assertThat(output).noneMatch(l -> l.contains("silent") || l.contains("dropped"));
    }
}
