package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.DEVICE;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKERFILE;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKER_CONF;
import static dev.drawbridge.broker.packaging.PackagingFiles.HEALTHCHECK;
import static dev.drawbridge.broker.packaging.PackagingFiles.SERVER;
import static dev.drawbridge.broker.packaging.PackagingFiles.freePort;
import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.drawbridge.broker.packaging.ComposeFile.Mount;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's ENTRYPOINT run without a container: the same java command line, with the image's paths mapped into a
 * temporary directory laid out like the image ({@code config/mosquitto.conf}, {@code data/}, {@code log/}) and the
 * listeners moved to free ports on 127.0.0.1. Against it run the compose files' own client commands (host and port
 * rewritten), the HEALTHCHECK script, then SIGTERM; the store must be in the data volume and survive a restart.
 */
class DockerEntrypointIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IMAGE_CONFIG = "/mosquitto/config/mosquitto.conf";
    /** The real jar; failsafe sets the property (surefire, asked for {@code -Dtest=*Docker*}, does not). */
    private static final String JAR_PROPERTY = "drawbridge.jar";

    private static Path jar = Path.of("");

    /** The image's /mosquitto: config/, data/, log/. */
    @TempDir
    Path image;

    /** Output files and the pki quickstart directory, outside the image's tree. */
    @TempDir
    Path work;

    private final Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE);
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void needsTheBuiltJar() {
        String property = System.getProperty(JAR_PROPERTY);
        assumeThat(property)
                .as("%s, set by failsafe after package", JAR_PROPERTY)
                .isNotNull();
        jar = Path.of(property).toAbsolutePath();
    }

    @AfterEach
    void stopEverything() throws Exception {
        Collections.reverse(running);
        for (AutoCloseable process : running) {
            process.close();
        }
    }

    @Test
    void theTutorialClientsTalkThroughTheEntrypointsBrokerWhichStopsCleanlyAndKeepsItsStore() throws Exception {
        int port = freePort();
        ComposeFile compose = PackagingFiles.compose();
        writeConfig(
                ConfLines.rewrite(DOCKER_CONF, Map.of(1883, port), line -> line.replace("/mosquitto/", image + "/")));

        try (BrokerProcess broker = startEntrypoint(port)) {
            assertThat(healthcheck(port))
                    .as("HEALTHCHECK %s", dockerfile.healthcheck())
                    .isZero();
            assertThat(healthcheck(port, "tcp")).isZero();
            ClientProcess subscriber =
                    client(retarget(compose.command("subscriber"), "broker", 1883, "127.0.0.1", port));
            ClientProcess publisher = client(retarget(compose.command("publisher"), "broker", 1883, "127.0.0.1", port));

            subscriber.awaitLine("test/hello hello from the publisher"::equals, WAIT);
            stopTree(publisher);
            stopTree(subscriber);
            assertThat(pub(port, "-t", "test/retained", "-q", "1", "-r", "-m", "kept")
                            .exitCode())
                    .isZero();
            assertThat(broker.stop())
                    .as("exit status after SIGTERM; output:%n%s", broker.output())
                    .isZero();
        }

        assertThat(healthcheck(port)).as("the probe fails when nothing listens").isNotZero();
        assertThat(regularFiles(image.resolve("data")))
                .as("the store, in the data volume")
                .isNotEmpty();
        try (BrokerProcess broker = startEntrypoint(port)) {
            Result retained = subUntilDone(port, "-t", "test/retained", "-C", "1", "-W", "10");

            assertThat(retained.stdout()).as("%s", retained).containsExactly("kept");
            assertThat(broker.stop()).as(broker.output()).isZero();
        }
    }

    @Test
    void theTlsComposeRunsOnTheFilesPkiQuickstartWrites() throws Exception {
        Path pki = work.resolve("pki");
        try (ClientProcess quickstart = ClientProcess.start(List.of(
                PackagingFiles.javaCommand().toString(),
                "-jar",
                jar.toString(),
                "pki",
                "quickstart",
                pki.toString(),
                "--server",
                SERVER,
                "--device",
                DEVICE))) {
            assertThat(quickstart.waitFor(Duration.ofSeconds(60)))
                    .as("%s", quickstart.stderr())
                    .isZero();
        }
        ComposeFile compose = PackagingFiles.composeTls(pki);
        Mount conf = compose.volumes("broker").stream()
                .filter(mount -> mount.target().equals(IMAGE_CONFIG))
                .findFirst()
                .orElseThrow();
        int tls = freePort();
        int local = freePort();
        // The quickstart directory is mounted at its own path, so its absolute paths need no mapping; only the ports.
        writeConfig(ConfLines.rewrite(
                Path.of(conf.source()), Map.of(8883, tls, 1883, local, 8443, freePort()), UnaryOperator.identity()));

        try (BrokerProcess broker = startEntrypoint(tls, local)) {
            // The image's HEALTHCHECK reaches quickstart's password-only local listener: a refusing CONNACK is an
            // answer.
            assertThat(healthcheck(local)).isZero();
            ClientProcess subscriber = client(retarget(compose.command("subscriber"), SERVER, 8883, "localhost", tls));
            ClientProcess publisher = client(retarget(compose.command("publisher"), SERVER, 8883, "localhost", tls));

            subscriber.awaitLine(("drawbridge/" + DEVICE + "/state hello over TLS")::equals, WAIT);
            stopTree(publisher);
            stopTree(subscriber);
            assertThat(broker.stop()).as(broker.output()).isZero();
        }
    }

    private void writeConfig(String text) throws IOException {
        Files.createDirectories(image.resolve("data"));
        Files.createDirectories(image.resolve("log"));
        Files.createDirectories(image.resolve("config"));
        Files.writeString(image.resolve("config/mosquitto.conf"), text);
    }

    /**
     * The ENTRYPOINT's java command with java, the jar and /mosquitto/... mapped to this machine, run in the mapped
     * WORKDIR. /opt/drawbridge/ has no class-data-sharing archive here, which the JVM skips without a word
     * (DockerCdsArchiveIT makes one and starts on it).
     */
    private BrokerProcess startEntrypoint(int... ports) throws IOException {
        ImagePaths paths = new ImagePaths(jar, work.resolve("opt"), image);
        // Without the privilege-dropping script (DockerEntrypointScriptIT runs that): the java command.
        List<String> command = paths.map(dockerfile.entrypointJava());
        Path output = Files.createTempFile(work, "broker", ".log");
        BrokerProcess broker =
                BrokerProcess.start(command, paths.path(dockerfile.image().workdir()), output, ports);
        running.add(broker);
        return broker;
    }

    /** A compose client command aimed at {@code host}:{@code port} on this machine instead of the compose network. */
    private static List<String> retarget(List<String> command, String from, int fromPort, String host, int port) {
        if (command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c")) {
            String script = command.get(2);
            String aimed = script.contains("-h " + from + " -p " + fromPort)
                    ? script.replace("-h " + from + " -p " + fromPort, "-h " + host + " -p " + port)
                    : script.replace("-h " + from + " ", "-h " + host + " -p " + port + " ");
            assertThat(aimed).as("a client in %s", script).isNotEqualTo(script);
            return List.of("sh", "-c", aimed);
        }
        List<String> aimed = new ArrayList<>(command);
        int h = aimed.indexOf("-h");
        assertThat(aimed.get(h + 1)).isEqualTo(from);
        aimed.set(h + 1, host);
        int p = aimed.indexOf("-p");
        if (p < 0) {
            aimed.addAll(h + 2, List.of("-p", Integer.toString(port)));
        } else {
            assertThat(aimed.get(p + 1)).isEqualTo(Integer.toString(fromPort));
            aimed.set(p + 1, Integer.toString(port));
        }
        return aimed;
    }

    private ClientProcess client(List<String> command) throws IOException {
        ClientProcess client = ClientProcess.start(command);
        running.add(() -> stopTree(client));
        return client;
    }

    /** Kills a client and what it started (the publisher's shell loop runs mosquitto_pub and sleep). */
    private static void stopTree(ClientProcess process) {
        ProcessHandle.of(process.pid()).ifPresent(shell -> shell.descendants().forEach(ProcessHandle::destroyForcibly));
        process.close();
    }

    /** Runs docker/healthcheck.sh as the HEALTHCHECK does; returns its exit status. */
    private static int healthcheck(int port, String... mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", HEALTHCHECK.toString(), Integer.toString(port)));
        command.addAll(List.of(mode));
        try (ClientProcess probe = ClientProcess.start(command)) {
            return probe.waitFor(Duration.ofSeconds(15));
        }
    }

    private static List<Path> regularFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }
}
