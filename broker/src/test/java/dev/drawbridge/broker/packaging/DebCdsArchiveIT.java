package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.freePort;
import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's class-data-sharing archive: its maintainer scripts and its use by the unit's ExecStart and the
 * launcher, run on the files {@code dpkg-deb} extracts from the package the build made. The scripts run as root, as
 * dpkg runs them, with the package's paths mapped into the extracted tree ({@code /usr/share/drawbridge/}), the JVM
 * mapped to this test's, and {@code /run/systemd/system} to a path that does not exist, so that no service manager of
 * this machine is asked anything. The postinst is run as {@code postinst triggered}, the case that does nothing but
 * make the archive (configure makes it the same way, then adds the user and starts the service).
 */
class DebCdsArchiveIT {

    private static final String SHARE = "/usr/share/drawbridge/";
    private static final String ARCHIVE = SHARE + "drawbridge.jsa";
    private static final String JAR = SHARE + "drawbridge.jar";

    @TempDir
    static Path root;

    @TempDir
    Path work;

    @BeforeAll
    static void extract() throws Exception {
        assertThat(System.getProperty("user.name"))
                .as("runs as root, as dpkg runs the maintainer scripts (chown root:root)")
                .isEqualTo("root");
        assertThat(DebPackageIT.DEB).as("the package the build writes").isRegularFile();
        assertThat(DebPackageIT.run("dpkg-deb", "-x", DebPackageIT.DEB.toString(), root.toString())
                        .exitCode())
                .isZero();
        assertThat(DebPackageIT.run(
                                "dpkg-deb",
                                "-e",
                                DebPackageIT.DEB.toString(),
                                root.resolve("DEBIAN").toString())
                        .exitCode())
                .isZero();
    }

    @BeforeEach
    void noArchiveYet() throws IOException {
        Files.deleteIfExists(installed(ARCHIVE));
    }

    @Test
    void thePostinstWritesARootOwnedReadOnlyArchiveThatTheServiceLoadsTheBrokersClassesFrom() throws Exception {
        Result postinst = maintainerScript("postinst", "triggered");

        assertThat(postinst.exitCode()).as("%s", postinst).isZero();
        assertThat(postinst.stderr()).as("%s", postinst).isEmpty();
        Path archive = installed(ARCHIVE);
        assertThat(archive).isRegularFile();
        assertThat(Files.getAttribute(archive, "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(archive, "unix:gid")).isEqualTo(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
                .isEqualTo("rw-r--r--");
        assertThat(Files.getAttribute(archive.getParent(), "unix:uid")).isEqualTo(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive.getParent())))
                .as("only root may write beside the archive")
                .isEqualTo("rwxr-xr-x");
        assertThat(installed(ARCHIVE + ".new")).doesNotExist();

        Path classes = work.resolve("classes.log");
        String output = serveOneMessage(classes);

        assertThat(output).doesNotContainIgnoringCase("cds").doesNotContain("[warning]");
        // The JVM names where each class came from: the top (dynamic) archive for the broker's own and Netty's.
        assertThat(ClassLoadLog.sources(classes))
                .extractingByKeys(
                        "dev.drawbridge.broker.cli.BrokerCommand",
                        "dev.drawbridge.broker.Drawbridge",
                        "dev.drawbridge.broker.engine.protocol.PublishHandler",
                        "io.netty.handler.codec.mqtt.MqttDecoder")
                .containsOnly(ClassLoadLog.TOP);
        assertThat(launcher("--version").stdout()).singleElement().asString().startsWith("drawbridge version ");
    }

    @Test
    void aStaleArchiveMadeForAnotherJarIsSkippedWithoutAWordAndTheBrokerStartsNormally() throws Exception {
        assertThat(maintainerScript("postinst", "triggered").exitCode()).isZero();
        assertThat(installed(ARCHIVE)).isRegularFile();
        Path jar = installed(JAR);
        FileTime stamp = Files.getLastModifiedTime(jar);
        // The archive records the jar's size and time: another time stamp is another jar to the JVM.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(stamp.toMillis() + 86_400_000L));
        try {
            startsNormallyAndSaysNothingAboutTheArchive();
        } finally {
            Files.setLastModifiedTime(jar, stamp);
        }
    }

    @Test
    void withoutAnArchiveTheBrokerStartsNormallyAndSaysNothingAboutIt() throws Exception {
        assertThat(installed(ARCHIVE)).doesNotExist();

        startsNormallyAndSaysNothingAboutTheArchive();
    }

    @Test
    void aFailedTrainingLeavesNoArchiveSaysSoInOneLineAndDoesNotFailTheInstall() throws Exception {
        Files.writeString(installed(ARCHIVE), "an archive of an older jar");
        Path notAJar = Files.writeString(work.resolve("drawbridge.jar"), "not a jar");

        Result postinst = maintainerScript("postinst", "triggered", JAR, notAJar.toString());

        assertThat(postinst.exitCode()).as("%s", postinst).isZero();
        assertThat(postinst.stdout()).isEmpty();
        assertThat(postinst.stderr())
                .singleElement()
                .asString()
                .startsWith("drawbridge: no class-data-sharing archive " + installed(ARCHIVE) + " (")
                .endsWith("the broker starts without it, only slower; dpkg-reconfigure drawbridge tries again");
        assertThat(installed(ARCHIVE)).doesNotExist();
        assertThat(installed(ARCHIVE + ".new")).doesNotExist();
    }

    @Test
    void prermAndPostrmDeleteTheArchiveOnRemove() throws Exception {
        for (String script : List.of("prerm", "postrm")) {
            assertThat(maintainerScript("postinst", "triggered").exitCode()).isZero();
            assertThat(installed(ARCHIVE)).as("made again before %s", script).isRegularFile();

            Result remove = maintainerScript(script, "remove");

            assertThat(remove.exitCode()).as("%s", remove).isZero();
            assertThat(installed(ARCHIVE)).as("after %s remove", script).doesNotExist();
        }
    }

    /** The unit's ExecStart serves a message and stops cleanly; the launcher's output is only the tool's own. */
    private void startsNormallyAndSaysNothingAboutTheArchive() throws Exception {
        Path classes = work.resolve("classes.log");
        ClassLoadLog.assertStartedWithoutTheArchiveAndSaidNothing(serveOneMessage(classes), classes);
        Result version = launcher("--version");
        assertThat(version.stdout()).singleElement().asString().startsWith("drawbridge version ");
        assertThat(version.stderr()).isEmpty();
        Path passwordFile = work.resolve("passwd");
        Result passwd = launcher("passwd", "-c", "-b", passwordFile.toString(), "garage", "secret");
        assertThat(passwd.exitCode()).as("%s", passwd).isZero();
        assertThat(passwd.stdout()).isEmpty();
        assertThat(passwd.stderr()).isEmpty();
        assertThat(Files.readAllLines(passwordFile)).singleElement().asString().startsWith("garage:$7$");
    }

    /**
     * The unit's ExecStart with the jar and archive mapped, class loading logged to {@code classes}, a listener on a
     * free port; one message published and received, then SIGTERM. Returns everything the broker printed.
     */
    private String serveOneMessage(Path classes) throws Exception {
        int port = freePort();
        Path store = Files.createDirectories(work.resolve("store"));
        Path conf = Files.writeString(
                work.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store
                        + "/\nlog_dest stderr\n");
        List<String> command = new ArrayList<>();
        for (String argument : DebPackageIT.execStart(installed(DebPackageIT.UNIT))) {
            if (argument.equals("/usr/bin/java")) {
                command.add(PackagingFiles.javaCommand().toString());
                command.add("-Xlog:class+load=info:file=" + classes);
            } else {
                command.add(mapped(argument).replace(DebPackageIT.CONFFILE, conf.toString()));
            }
        }
        try (BrokerProcess broker = BrokerProcess.start(command, work, work.resolve("broker.log"), port)) {
            try (ClientProcess subscriber = subscribed(port, "-t", "garage/#", "-v", "-C", "1")) {
                assertThat(pub(port, "-t", "garage/state", "-q", "1", "-m", "closed")
                                .exitCode())
                        .isZero();
                subscriber.awaitLine("garage/state closed"::equals, Duration.ofSeconds(15));
            }
            assertThat(broker.stop())
                    .as("exit status after SIGTERM: %s", broker.output())
                    .isZero();
            return broker.output();
        }
    }

    /** The installed launcher, with the package's paths and {@code java} mapped. */
    private Result launcher(String... args) throws Exception {
        Path launcher = Files.writeString(
                work.resolve("drawbridge"),
                mapped(Files.readString(installed(DebPackageIT.LAUNCHER)))
                        .replace("exec java ", "exec " + PackagingFiles.javaCommand() + " "));
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(List.of(args));
        return DebPackageIT.run(command.toArray(String[]::new));
    }

    /** Runs a maintainer script of the package with its paths mapped, and any further {@code from, to} replacements. */
    private Result maintainerScript(String name, String argument, String... replacements) throws Exception {
        String text = Files.readString(root.resolve("DEBIAN").resolve(name));
        for (int i = 0; i < replacements.length; i += 2) {
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        Path script = Files.writeString(
                work.resolve(name),
                mapped(text)
                        .replace("/usr/bin/java", PackagingFiles.javaCommand().toString())
                        .replace(
                                "/run/systemd/system",
                                work.resolve("no-systemd").toString()));
        return DebPackageIT.run("sh", script.toString(), argument);
    }

    private static String mapped(String text) {
        return text.replace(SHARE, installed(SHARE) + "/");
    }

    private static Path installed(String path) {
        return root.resolve(path.substring(1));
    }
}
