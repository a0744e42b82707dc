package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKERFILE;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKER_CONF;
import static dev.drawbridge.broker.packaging.PackagingFiles.freePort;
import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.drawbridge.broker.cli.CdsTraining;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's class-data-sharing archive made without a container: the run stage's two archive commands, read from the
 * Dockerfile (the training run under {@code -XX:ArchiveClassesAtExit}, then the {@code -Xshare:on} check), run on the
 * real jar with {@code /opt/drawbridge/} mapped to a temporary directory, then the ENTRYPOINT's java command on that
 * archive with the image's mosquitto.conf (listener moved to a free port on 127.0.0.1). The JVM is this machine's
 * OpenJDK 17, not the image's Temurin 17: the image build runs the same commands on its own.
 */
class DockerCdsArchiveIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static Path builtJar = Path.of("");

    /** The image's /opt/drawbridge, less the jar. */
    @TempDir
    Path opt;

    /** The image's /mosquitto: config/, data/, log/. */
    @TempDir
    Path image;

    @TempDir
    Path work;

    private final Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE);

    @BeforeAll
    static void needsTheBuiltJar() {
        String property = System.getProperty("drawbridge.jar");
        assumeThat(property).as("drawbridge.jar, set by failsafe after package").isNotNull();
        builtJar = Path.of(property).toAbsolutePath();
    }

    @Test
    void theBuildsTrainingRunMakesAnArchiveItsCheckAcceptsAndTheEntrypointLoadsTheBrokersClassesFrom()
            throws Exception {
        ImagePaths paths = new ImagePaths(builtJar, opt, image);

        Result training = training(paths);

        assertThat(training.exitCode()).as("%s", training).isZero();
        Path archive = paths.path(ImagePaths.IMAGE_ARCHIVE);
        assertThat(archive).isNotEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
                .as("the JVM writes it read-only")
                .isEqualTo("r--r--r--");
        Result check = check(paths);
        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.stdout()).singleElement().asString().startsWith("drawbridge version ");

        Path classes = work.resolve("classes.log");
        String output = serveOneMessage(paths, classes);

        assertThat(output).doesNotContainIgnoringCase("cds").doesNotContain("[warning]");
        assertThat(ClassLoadLog.sources(classes))
                .extractingByKeys(
                        "dev.drawbridge.broker.cli.BrokerCommand",
                        "dev.drawbridge.broker.Drawbridge",
                        "dev.drawbridge.broker.engine.protocol.PublishHandler",
                        "io.netty.handler.codec.mqtt.MqttDecoder")
                .containsOnly(ClassLoadLog.TOP);
    }

    @Test
    void anArchiveOfAnotherJarFailsTheBuildsCheckAndTheEntrypointStartsWithoutItSaysNothing() throws Exception {
        Path jar = Files.copy(builtJar, work.resolve("drawbridge.jar"));
        ImagePaths paths = new ImagePaths(jar, opt, image);
        assertThat(training(paths).exitCode()).isZero();
        assertThat(check(paths).exitCode())
                .as("positive control: the archive fits the jar it was made of")
                .isZero();
        // The archive records the jar's size and time: another time stamp is another jar to the JVM.
        Files.setLastModifiedTime(
                jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 86_400_000L));

        Result check = check(paths);

        assertThat(check.exitCode())
                .as("the check, and with it the build, fails: %s", check)
                .isNotZero();
        assertThat(output(check)).contains("A jar file is not the one used while building the shared archive file");
        Path classes = work.resolve("classes.log");
        ClassLoadLog.assertStartedWithoutTheArchiveAndSaidNothing(serveOneMessage(paths, classes), classes);
    }

    /**
     * The ENTRYPOINT's heap is half the container's memory: at 32 GB or more the JVM turns compressed pointers off,
     * and an archive trained with them on no longer fits. {@code -Xmx40g} (only reserved, never used) stands for such
     * a machine, as {@code JAVA_TOOL_OPTIONS} would add it.
     */
    @Test
    void aHeapLargeEnoughToTurnCompressedPointersOffStartsWithoutTheArchiveAndSaysNothing() throws Exception {
        ImagePaths paths = new ImagePaths(builtJar, opt, image);
        assertThat(training(paths).exitCode()).isZero();
        assertThat(check(paths).exitCode())
                .as("positive control: the archive fits the ENTRYPOINT's heap")
                .isZero();

        Path classes = work.resolve("classes.log");
        ClassLoadLog.assertStartedWithoutTheArchiveAndSaidNothing(serveOneMessage(paths, classes, "-Xmx40g"), classes);
    }

    @Test
    void aTrainingRunThatFailsFailsTheBuildAndWithoutAnArchiveTheCheckFailsIt() throws Exception {
        Path notAJar = Files.writeString(work.resolve("drawbridge.jar"), "not a jar");

        Result training = training(new ImagePaths(notAJar, opt, image));
        Result check = check(new ImagePaths(builtJar, Files.createDirectories(work.resolve("no-archive")), image));

        assertThat(training.exitCode()).as("%s", training).isNotZero();
        assertThat(training.stderr())
                .contains("Error: Could not find or load main class " + CdsTraining.class.getName());
        assertThat(check.exitCode()).as("%s", check).isNotZero();
        assertThat(output(check)).contains("Specified shared archive not found");
    }

    /** The Dockerfile's training run, mapped. */
    private Result training(ImagePaths paths) throws Exception {
        return run(paths.map(dockerfile
                .imageRunWith("-XX:ArchiveClassesAtExit=" + ImagePaths.IMAGE_ARCHIVE)
                .execForm()));
    }

    /** The Dockerfile's -Xshare:on check, mapped. */
    private Result check(ImagePaths paths) throws Exception {
        return run(paths.map(dockerfile.imageRunWith("-Xshare:on").execForm()));
    }

    /** Runs a build step in the work directory (where a crashing JVM would leave its hs_err file). */
    private Result run(List<String> command) throws Exception {
        try (ClientProcess process = ClientProcess.start(command, work)) {
            int code = process.waitFor(Duration.ofSeconds(90));
            return new Result(code, process.stdout(), process.stderr());
        }
    }

    /**
     * The ENTRYPOINT's java command, mapped, with class loading logged to {@code classes}, {@code moreJvmOptions} and
     * the image's mosquitto.conf on a free port; one message published and received, then SIGTERM. Returns everything
     * the broker printed.
     */
    private String serveOneMessage(ImagePaths paths, Path classes, String... moreJvmOptions) throws Exception {
        int port = freePort();
        Files.createDirectories(image.resolve("data"));
        Files.createDirectories(image.resolve("log"));
        Files.createDirectories(image.resolve("config"));
        Files.writeString(
                image.resolve("config/mosquitto.conf"),
                ConfLines.rewrite(DOCKER_CONF, Map.of(1883, port), line -> line.replace("/mosquitto/", image + "/")));
        List<String> command = new ArrayList<>(paths.map(dockerfile.entrypointJava()));
        command.add(1, "-Xlog:class+load=info:file=" + classes);
        command.addAll(2, List.of(moreJvmOptions)); // -Xmx wins over -XX:MaxRAMPercentage in any order
        Path log = Files.createTempFile(work, "broker", ".log");
        try (BrokerProcess broker =
                BrokerProcess.start(command, paths.path(dockerfile.image().workdir()), log, port)) {
            try (ClientProcess subscriber = subscribed(port, "-t", "garage/#", "-v", "-C", "1")) {
                assertThat(pub(port, "-t", "garage/state", "-q", "1", "-m", "closed")
                                .exitCode())
                        .isZero();
                subscriber.awaitLine("garage/state closed"::equals, WAIT);
            }
            assertThat(broker.stop())
                    .as("exit status after SIGTERM: %s", broker.output())
                    .isZero();
            return broker.output();
        }
    }

    private static String output(Result result) {
        return String.join("\n", result.stdout()) + "\n" + String.join("\n", result.stderr());
    }
}
