package dev.drawbridge.device.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's {@code sudo apt install ./drawbridge_…_all.deb}, done: both packages, the broker's and the device's,
 * installed with {@code apt-get install ./FILE.deb} into a clean Debian root that {@code debootstrap --variant=minbase}
 * makes from the host's own Debian release and mirror (read from the host's apt sources), so apt resolves their
 * dependencies (a Java 17 runtime, adduser) as on a user's machine. Then the postinsts' users, groups and modes, the
 * conffiles, and the installed broker started by the unit's own {@code ExecStart} line as the unit's {@code User} and
 * {@code Group} (chroot {@code --userspec}), with a listener added in {@code conf.d} as the README says, round-tripping a
 * message. There is no systemd in the root (no init runs there), so the unit itself, its sandboxing and its start by
 * the postinst are not run here; DebPackageIT checks the unit with {@code systemd-analyze}.
 *
 * <p>Needs root (chroot, mount), {@code debootstrap} and the Debian mirror: {@code .ci/run} installs debootstrap, and
 * CI runs as root. A missing tool fails this test; it never skips.
 */
class AptInstallIT {

    private static final Duration STEP = Duration.ofMinutes(8);
    private static final String VERSION = debianVersion(property("drawbridge.version"));
    private static final Path DEVICE_DEB =
            Path.of(property("drawbridge.deb.dir")).resolve("drawbridge-device_" + VERSION + "_all.deb");
    private static final Path BROKER_DEB = Path.of(property("drawbridge.jar"))
            .toAbsolutePath()
            .getParent()
            .resolve("drawbridge_" + VERSION + "_all.deb");
    private static final List<String> ROOT_PATH = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");

    private static @Nullable Path root;
    private static boolean procMounted;
    private static @Nullable Process broker;
    private static final StringBuilder installLog = new StringBuilder();

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // debootstrap and apt download from the mirror
    static void installBothPackagesIntoACleanRoot() throws Exception {
        assertThat(System.getProperty("user.name"))
                .as("runs as root (chroot, mount), as CI does")
                .isEqualTo("root");
        assertThat(onPath("debootstrap"))
                .as("debootstrap is installed (.ci/run installs it)")
                .isTrue();
        assertThat(BROKER_DEB).as("the broker package the build writes").isRegularFile();
        assertThat(DEVICE_DEB).as("the device package the build writes").isRegularFile();
        String[] source = hostDebianSource();

        Path made = Files.createTempDirectory("drawbridge-apt-root");
        root = made;
        // A temporary directory is 0700: as the root's "/", the unit's user could not reach anything below it.
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));
        step("debootstrap", List.of("debootstrap", "--variant=minbase", source[1], made.toString(), source[0]));
        Files.copy(BROKER_DEB, made.resolve("tmp").resolve(BROKER_DEB.getFileName()));
        Files.copy(DEVICE_DEB, made.resolve("tmp").resolve(DEVICE_DEB.getFileName()));
        step(
                "mount /proc",
                List.of("mount", "-t", "proc", "proc", made.resolve("proc").toString()));
        procMounted = true;
        step("apt-get update", inRoot("apt-get", "update", "-q"));
        step(
                "apt-get install",
                inRoot(
                        "apt-get",
                        "install",
                        "-y",
                        "-q",
                        "/tmp/" + BROKER_DEB.getFileName(),
                        "/tmp/" + DEVICE_DEB.getFileName()));
    }

    @AfterAll
    static void removeTheRoot() throws Exception {
        if (broker != null) {
            broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (root != null) {
            if (procMounted) {
                run(List.of("umount", root.resolve("proc").toString()), Duration.ofSeconds(30));
            }
            if (!procMounted || !Files.exists(root.resolve("proc/self"))) {
                run(List.of("rm", "-rf", "--one-file-system", root.toString()), Duration.ofMinutes(2));
            }
        }
    }

    @Test
    void bothPackagesAreInstalledAndTheirConfigsAreConffiles() throws Exception {
        Result status =
                run(inRoot("dpkg-query", "-W", "-f", "${Package} ${Status}\\n", "drawbridge", "drawbridge-device"));
        assertThat(status.out())
                .as("%s", status)
                .containsExactlyInAnyOrder("drawbridge install ok installed", "drawbridge-device install ok installed");
        assertThat(conffiles("drawbridge")).containsExactly("/etc/drawbridge/mosquitto.conf");
        assertThat(conffiles("drawbridge-device")).containsExactly("/etc/drawbridge-device/device.yml");
        Result java = run(inRoot("java", "-version"));
        assertThat(java.exitCode()).as("apt installed a Java runtime: %s", java).isZero();
        assertThat(String.join("\n", java.err())).containsPattern("version \"(1[7-9]|[2-9]\\d)");
    }

    @Test
    void thePostinstsMadeTheSystemUsersGroupsAndDirectories() throws Exception {
        String[] broker = passwd("drawbridge");
        assertThat(Integer.parseInt(broker[2])).as("a system user id").isLessThan(1000);
        assertThat(broker[5]).isEqualTo("/var/lib/drawbridge");
        assertThat(broker[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(stat("/var/lib/drawbridge")).isEqualTo("drawbridge drawbridge 750");
        assertThat(stat("/var/log/drawbridge")).isEqualTo("drawbridge drawbridge 750");
        assertThat(stat("/etc/drawbridge/mosquitto.conf")).isEqualTo("root root 644");
        // The broker's class-data-sharing archive, trained by its postinst on the installed JVM; only root writes it.
        assertThat(stat("/usr/share/drawbridge/drawbridge.jsa")).isEqualTo("root root 644");
        assertThat(stat("/usr/share/drawbridge")).isEqualTo("root root 755");

        String[] device = passwd("drawbridge-device");
        assertThat(Integer.parseInt(device[2])).as("a system user id").isLessThan(1000);
        assertThat(device[5]).isEqualTo("/nonexistent");
        assertThat(Files.exists(root().resolve("nonexistent"))).isFalse();
        assertThat(run(inRoot("id", "-nG", "drawbridge-device")).out())
                .singleElement()
                .asString()
                .contains("drawbridge-device", "gpio");
        assertThat(stat("/etc/drawbridge-device/device.yml")).isEqualTo("root root 644");
    }

    @Test
    void theInstalledBrokerRunsAsTheUnitStartsItAndRoundTripsAMessage() throws Exception {
        Map<String, String> unit = unit(root().resolve("lib/systemd/system/drawbridge.service"));
        List<String> execStart = Arrays.asList(unit.get("ExecStart").split(" "));
        int port = freePort();
        // As the README says: the installed config is local-only until a listener is added in conf.d.
        Files.writeString(
                root().resolve("etc/drawbridge/conf.d/test.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        List<String> command = new ArrayList<>(List.of(
                "env", "-i", ROOT_PATH.get(0), "chroot", "--userspec=" + unit.get("User") + ":" + unit.get("Group")));
        command.add(root().toString());
        command.addAll(execStart);
        Path log = Files.createTempFile("drawbridge-apt-broker", ".log");
        Process started = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        broker = started;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(log).contains(" running") || !started.isAlive());
        assertThat(started.isAlive())
                .as("the installed broker runs: %s", Files.readString(log))
                .isTrue();

        Process sub = new ProcessBuilder(
                        "mosquitto_sub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        "" + port,
                        "-t",
                        "garage/state",
                        "-C",
                        "1",
                        "-W",
                        "20")
                .redirectErrorStream(true)
                .start();
        // The retained message is delivered whenever the subscriber's SUBSCRIBE lands, before or after.
        Result pub = run(List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                "" + port,
                "-t",
                "garage/state",
                "-q",
                "1",
                "-r",
                "-m",
                "closed"));
        assertThat(pub.exitCode()).as("%s", pub).isZero();
        assertThat(sub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("closed");

        // It runs as the unit's user: its store is in its state directory, owned by it.
        // chroot and env exec the command, so the process started is the JVM itself.
        Result uid = run(List.of("stat", "-c", "%u:%g", "/proc/" + started.pid()));
        assertThat(uid.out()).containsExactly(passwd("drawbridge")[2] + ":" + passwd("drawbridge")[3]);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Files.exists(root().resolve("var/lib/drawbridge/drawbridge-store/drawbridge-engine.mv")));
        assertThat(stat("/var/lib/drawbridge/drawbridge-store/drawbridge-engine.mv"))
                .startsWith("drawbridge drawbridge ");

        started.destroy(); // SIGTERM, as systemctl stop sends it
        assertThat(started.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(started.exitValue()).as("%s", Files.readString(log)).isZero();
    }

    @Test
    void theInstalledDeviceCommandChecksItsShippedPlaceholderConfigAsTheUnitsUser() throws Exception {
        Map<String, String> unit = unit(root().resolve("lib/systemd/system/drawbridge-device.service"));
        List<String> command = new ArrayList<>(List.of(
                "env", "-i", ROOT_PATH.get(0), "chroot", "--userspec=" + unit.get("User") + ":" + unit.get("Group")));
        command.add(root().toString());
        command.addAll(List.of("/usr/bin/drawbridge-device", "-c", "/etc/drawbridge-device/device.yml", "--check"));

        Result check = run(command);

        // The placeholder names TLS files that are not there yet: exit status 1, naming both.
        assertThat(check.exitCode()).as("%s", check).isEqualTo(1);
        assertThat(String.join("\n", check.err())).contains("device.crt", "device.key");
    }

    private static Path root() {
        assertThat(root).as("the root made in @BeforeAll").isNotNull();
        return root;
    }

    private static List<String> conffiles(String pkg) throws Exception {
        return run(inRoot("dpkg-query", "-W", "-f", "${Conffiles}\\n", pkg)).out().stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.split(" ")[0])
                .toList();
    }

    private static String[] passwd(String user) throws Exception {
        Result entry = run(inRoot("getent", "passwd", user));
        assertThat(entry.exitCode()).as("user %s: %s", user, entry).isZero();
        return entry.out().get(0).split(":");
    }

    private static String stat(String path) throws Exception {
        Result stat = run(inRoot("stat", "-c", "%U %G %a", path));
        assertThat(stat.exitCode()).as("%s: %s", path, stat).isZero();
        return stat.out().get(0);
    }

    /** The [Service] keys of a unit file (the last value of each). */
    private static Map<String, String> unit(Path file) throws IOException {
        Map<String, String> keys = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                keys.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return keys;
    }

    /** {@code chroot ROOT COMMAND} with a plain environment, as root. */
    private static List<String> inRoot(String... command) {
        List<String> full = new ArrayList<>(
                List.of("env", "-i", ROOT_PATH.get(0), "DEBIAN_FRONTEND=noninteractive", "chroot", root().toString()));
        full.addAll(List.of(command));
        return full;
    }

    /** The host's Debian mirror and release ({@code URI}, {@code suite}), as its apt sources name them. */
    private static String[] hostDebianSource() throws IOException {
        Path deb822 = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isRegularFile(deb822)) {
            String text = Files.readString(deb822);
            Matcher uri = Pattern.compile("(?m)^URIs: (\\S+)").matcher(text);
            Matcher suite = Pattern.compile("(?m)^Suites: (\\S+)").matcher(text);
            assertThat(uri.find() && suite.find())
                    .as(deb822 + ": URIs and Suites")
                    .isTrue();
            return new String[] {uri.group(1), suite.group(1)};
        }
        Path list = Path.of("/etc/apt/sources.list");
        Matcher line = Pattern.compile("(?m)^deb (\\S+) (\\S+) ").matcher(Files.readString(list));
        assertThat(line.find()).as(list + ": a deb line").isTrue();
        return new String[] {line.group(1), line.group(2)};
    }

    private static void step(String name, List<String> command) throws Exception {
        Result result = run(command, STEP);
        installLog.append("== ").append(name).append('\n').append(String.join("\n", result.out()));
        assertThat(result.exitCode())
                .as("%s failed: %s%n%s", name, String.join("\n", result.err()), String.join("\n", result.out()))
                .isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property %s (set by failsafe)", name).isNotNull();
        return value;
    }

    /** As {@code build-deb.sh}: -SNAPSHOT becomes ~snapshot, any other '-' a '~'. */
    private static String debianVersion(String mavenVersion) {
        return mavenVersion.replaceFirst("-SNAPSHOT$", "~snapshot").replace('-', '~');
    }

    private record Result(int exitCode, List<String> out, List<String> err) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Duration.ofSeconds(60));
    }

    /** Runs {@code command} to its end, its output in files so that no pipe fills up. */
    private static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("apt-install-it", ".out");
        Path err = Files.createTempFile("apt-install-it", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try {
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("timed out after " + timeout + ": " + command);
                }
            } finally {
                if (process.isAlive()) { // timed out, or this test was interrupted
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            return new Result(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
