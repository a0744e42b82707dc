package dev.drawbridge.device.packaging;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drawbridge.device.MosquittoClients;
import dev.drawbridge.device.TestBroker;
import dev.drawbridge.device.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raspberry Pi package the build makes, inspected with {@code dpkg-deb} (not installed: that needs root and
 * systemd): its control fields, files, modes and conffile, its maintainer scripts, its unit file (also checked by
 * {@code systemd-analyze} where installed), and the launcher and the unit's ExecStart run from the extracted files.
 */
class DevicePackageIT {

    private static final String VERSION = debianVersion(property("drawbridge.version"));
    private static final Path DEB =
            Path.of(property("drawbridge.deb.dir")).resolve("drawbridge-device_" + VERSION + "_all.deb");
    private static final Path JAR = Path.of(property("drawbridge.device.jar"));
    private static final Path EXAMPLE = Path.of(property("drawbridge.device.example"));

    private static final String INSTALLED_JAR = "/usr/share/drawbridge-device/drawbridge-device.jar";
    private static final String CONF_DIR = "/etc/drawbridge-device";
    private static final String CONFFILE = CONF_DIR + "/device.yml";
    private static final String UNIT = "/lib/systemd/system/drawbridge-device.service";
    private static final String LAUNCHER = "/usr/bin/drawbridge-device";

    /** {@code dpkg-deb -c}: {@code drwxr-xr-x root/root 0 2026-11-25 00:00 ./etc/}. */
    private static final Pattern ENTRY = Pattern.compile("(\\S{10}) (\\S+)\\s+(\\d+) \\S+ \\S+ \\./(.*)");

    /** A control field in {@code dpkg-deb -I}: indented by one space (continuation lines by two). */
    private static final Pattern FIELD = Pattern.compile(" ([A-Za-z-]+): (.*)");

    /** The package's file system, as {@code dpkg-deb -x} extracts it. */
    @TempDir
    static Path root;

    @TempDir
    Path work;

    @BeforeAll
    static void extract() throws Exception {
        assertThat(DEB).as("the package the build writes").isRegularFile();
        assertThat(run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()))
                        .exitCode())
                .isZero();
    }

    @Test
    void theControlFieldsDescribeAnArchitectureIndependentPackageNeedingAJava17Runtime() throws Exception {
        Result info = run(List.of("dpkg-deb", "-I", DEB.toString()));
        Map<String, String> fields = controlFields(info.stdout());

        assertThat(info.exitCode()).isZero();
        assertThat(fields)
                .containsEntry("Package", "drawbridge-device")
                .containsEntry("Version", VERSION)
                .containsEntry("Architecture", "all")
                .containsEntry("Depends", "default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser")
                .containsKeys("Maintainer", "Description", "Section", "Priority");
        assertThat(Long.parseLong(fields.get("Installed-Size"))).isGreaterThanOrEqualTo(Files.size(JAR) / 1024);
        // The control archive's members; '*' marks the executable maintainer scripts.
        assertThat(info.stdout().stream().map(String::strip).filter(line -> line.matches("\\d+ bytes,.*")))
                .extracting(line ->
                        line.replaceAll("^\\d+ bytes,\\s+\\d+ lines\\s+", "").replaceAll("\\s+#!.*", ""))
                .containsExactlyInAnyOrder("conffiles", "control", "*  postinst", "*  postrm", "*  prerm");
        assertThat(run(List.of("dpkg-deb", "-I", DEB.toString(), "conffiles")).stdout())
                .containsExactly(CONFFILE);
    }

    @Test
    void theFilesAreTheJarTheLauncherTheConffileAndTheUnitWithTheirModesOwnedByRoot() throws Exception {
        Result contents = run(List.of("dpkg-deb", "-c", DEB.toString()));
        Map<String, String> modes = new TreeMap<>();
        for (String line : contents.stdout()) {
            Matcher entry = ENTRY.matcher(line);
            assertThat(entry.matches()).as(line).isTrue();
            assertThat(entry.group(2)).as(line).isEqualTo("root/root");
            modes.put("/" + entry.group(4), entry.group(1));
        }

        assertThat(contents.exitCode()).isZero();
        assertThat(modes)
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("/", "drwxr-xr-x"),
                        Map.entry("/etc/", "drwxr-xr-x"),
                        Map.entry(CONF_DIR + "/", "drwxr-xr-x"),
                        Map.entry(CONFFILE, "-rw-r--r--"),
                        Map.entry("/lib/", "drwxr-xr-x"),
                        Map.entry("/lib/systemd/", "drwxr-xr-x"),
                        Map.entry("/lib/systemd/system/", "drwxr-xr-x"),
                        Map.entry(UNIT, "-rw-r--r--"),
                        Map.entry("/usr/", "drwxr-xr-x"),
                        Map.entry("/usr/bin/", "drwxr-xr-x"),
                        Map.entry(LAUNCHER, "-rwxr-xr-x"),
                        Map.entry("/usr/share/", "drwxr-xr-x"),
                        Map.entry("/usr/share/drawbridge-device/", "drwxr-xr-x"),
                        Map.entry(INSTALLED_JAR, "-rw-r--r--")));
        assertThat(installed(INSTALLED_JAR)).hasSameBinaryContentAs(JAR);
        // The conffile is device.example.yml with a comment block on top that says how to set it up.
        String conffile = Files.readString(installed(CONFFILE));
        assertThat(conffile).endsWith(Files.readString(EXAMPLE)).startsWith("# " + CONFFILE);
        String head = conffile.substring(
                0, conffile.length() - Files.readString(EXAMPLE).length());
        assertThat(head).contains("ConditionPathExists", "chmod 600", "--check", "systemctl restart drawbridge-device");
        assertThat(head.lines()).allMatch(line -> line.startsWith("#"));
    }

    @Test
    void theUnitRunsTheInstalledJarAsAnUnprivilegedHardenedServiceWithTheGpioChipsOnly() throws Exception {
        Map<String, List<String>> service = section(installed(UNIT), "Service");
        List<String> execStart = List.of(single(service, "ExecStart").split("\\s+"));
        int jar = execStart.indexOf("-jar");

        assertThat(execStart.get(0)).isEqualTo("/usr/bin/java");
        assertThat(execStart.subList(1, jar))
                .contains("-Xmx128m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=48m", "-XX:+ExitOnOutOfMemoryError")
                .allMatch(option -> option.startsWith("-X") || option.startsWith("-Dio.netty."));
        assertThat(execStart.subList(jar, execStart.size())).containsExactly("-jar", INSTALLED_JAR, "-c", CONFFILE);
        assertThat(service)
                .containsEntry("User", List.of("drawbridge-device"))
                .containsEntry("Group", List.of("drawbridge-device"))
                .containsEntry("SupplementaryGroups", List.of("gpio"))
                .containsEntry("DevicePolicy", List.of("closed"))
                // a device group from /proc/devices: DeviceAllow= takes no wildcard in a /dev path
                .containsEntry("DeviceAllow", List.of("char-gpiochip rw"))
                .containsEntry("Restart", List.of("on-failure"))
                .containsEntry("RestartSec", List.of("5"))
                .containsEntry("ProtectSystem", List.of("strict"))
                .containsEntry("ProtectHome", List.of("yes"))
                .containsEntry("PrivateTmp", List.of("yes"))
                .containsEntry("NoNewPrivileges", List.of("yes"))
                .containsEntry("CapabilityBoundingSet", List.of(""))
                .doesNotContainKeys(
                        "PrivateDevices", "AmbientCapabilities", "MemoryDenyWriteExecute", "ReadWritePaths");
        assertThat(section(installed(UNIT), "Install")).containsEntry("WantedBy", List.of("multi-user.target"));
    }

    /** The placeholder config never runs: the unit waits for exactly the TLS files the shipped device.yml names. */
    @Test
    void theUnitWaitsForTheTlsFilesTheShippedConfigNames() throws Exception {
        JsonNode tls = new ObjectMapper(new YAMLFactory())
                .readTree(installed(CONFFILE).toFile())
                .path("tls");

        assertThat(section(installed(UNIT), "Unit").get("ConditionPathExists"))
                .containsExactlyInAnyOrder(
                        CONF_DIR + "/" + tls.path("certificate").asText(),
                        CONF_DIR + "/" + tls.path("key").asText());
    }

    /** Without that condition the shipped config would fail at every start: exit status 1, naming the TLS files. */
    @Test
    void theShippedConfigAloneExitsWithAConfigError() throws Exception {
        Path conf = Files.createDirectories(work.resolve("etc/drawbridge-device"));
        Files.copy(installed(CONFFILE), conf.resolve("device.yml"));

        Result start = run(execStart(conf.resolve("device.yml")));

        assertThat(start.exitCode()).as("%s", start).isEqualTo(1);
        assertThat(String.join("\n", start.stderr()))
                .contains("tls.certificate", "device.crt", "tls.key", "device.key");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        assertThat(onPath("systemd-analyze"))
                .as("systemd-analyze is installed (.ci/run installs systemd)")
                .isTrue();
        assertThat(Path.of("/usr/bin/java"))
                .as("the ExecStart program exists here (.ci/run installs openjdk-17-jre-headless)")
                .isExecutable();

        Result verify = run(List.of("systemd-analyze", "verify", installed(UNIT).toString()));

        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.stdout()).as("%s", verify).isEmpty();
        assertThat(verify.stderr()).as("%s", verify).isEmpty();
    }

    /** systemd's own rating of the hardening: "OK" (below 5.0 of 10) or better. */
    @Test
    void systemdAnalyzeSecurityRatesTheUnitOkOrBetter() throws Exception {
        assertThat(onPath("systemd-analyze"))
                .as("systemd-analyze is installed (.ci/run installs systemd)")
                .isTrue();

        Result security = run(List.of(
                "systemd-analyze", "security", "--offline=true", installed(UNIT).toString()));
        assertThat(security.exitCode())
                .as("systemd-analyze security --offline (systemd 250+): %s", security)
                .isZero();
        Matcher overall = Pattern.compile("Overall exposure level for drawbridge-device\\.service: (\\d+\\.\\d+)")
                .matcher(String.join("\n", security.stdout()));

        assertThat(overall.find()).as("%s", security).isTrue();
        assertThat(Double.parseDouble(overall.group(1))).isLessThan(5.0);
    }

    @Test
    void theMaintainerScriptsAreShellThatCreatesTheServiceUserInTheGpioGroup() throws Exception {
        Path control = work.resolve("DEBIAN");
        assertThat(run(List.of("dpkg-deb", "-e", DEB.toString(), control.toString()))
                        .exitCode())
                .isZero();

        for (String script : List.of("postinst", "prerm", "postrm")) {
            Result syntax = run(List.of("sh", "-n", control.resolve(script).toString()));
            assertThat(syntax.exitCode())
                    .as("sh -n %s: %s", script, syntax.stderr())
                    .isZero();
        }
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("if ! getent group gpio >/dev/null; then\n        addgroup --system --quiet gpio")
                .contains("adduser --system --group --home /nonexistent --no-create-home --quiet drawbridge-device")
                .contains("adduser --quiet drawbridge-device gpio")
                .contains("deb-systemd-helper enable drawbridge-device.service");
    }

    @Test
    void theLauncherRunsTheInstalledJar() throws Exception {
        String launcher = Files.readString(installed(LAUNCHER));
        Path here = Files.writeString(
                work.resolve("drawbridge-device"),
                launcher.replace(INSTALLED_JAR, installed(INSTALLED_JAR).toString()));

        Result help = run(List.of("sh", here.toString(), "--help"));
        Result version = run(List.of("sh", here.toString(), "--version"));

        assertThat(launcher).startsWith("#!/bin/sh\n").contains("exec java ").contains(INSTALLED_JAR);
        assertThat(help.exitCode()).as("%s", help).isZero();
        assertThat(String.join("\n", help.stdout()))
                .startsWith("Usage: drawbridge-device ")
                .contains("-c, --config=FILE", "--check");
        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.stdout()).containsExactly("drawbridge-device " + property("drawbridge.version"));
    }

    /**
     * The unit's ExecStart, JVM options included, with the shipped config set up as its comment says: TLS files next
     * to it, mqtt.host and mqtt.port set (here to the test broker). The device comes online, and SIGTERM is a clean
     * stop (in the unit's terms) that publishes offline.
     */
    @Test
    void theExecStartCommandRunsTheDeviceOnceItsTlsFilesAreInPlace() throws Exception {
        Path pkiDir = Files.createDirectories(work.resolve("pki"));
        TestPki pki = TestPki.create(pkiDir);
        Path conf = Files.createDirectories(work.resolve("etc/drawbridge-device"));
        for (String file : List.of("ca.crt", "device.crt", "device.key")) {
            Files.copy(pki.file(file), conf.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (TestBroker broker = TestBroker.start(pki)) {
            Path config = Files.writeString(
                    conf.resolve("device.yml"),
                    Files.readString(installed(CONFFILE))
                            .replace("  host: mqtt.local ", "  host: localhost ")
                            .replace("  port: 8883 ", "  port: " + broker.tlsPort() + " "));
            MosquittoClients clients = MosquittoClients.plain(broker.plainPort());
            try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
                await().atMost(Duration.ofSeconds(10)).until(availability::subscribed);
                Path log = work.resolve("device.log");
                Process device = new ProcessBuilder(execStart(config))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                try {
                    await().atMost(Duration.ofSeconds(60))
                            .failFast(() -> !device.isAlive())
                            .until(() -> availability.payloads(AVAILABILITY).contains("online"));

                    device.destroy(); // SIGTERM
                    assertThat(device.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    // The JVM ends with 128 + SIGTERM after the shutdown hook; the unit counts that as success.
                    assertThat(device.exitValue())
                            .as("exit status after SIGTERM; log:%n%s", Files.readString(log))
                            .isEqualTo(143);
                    assertThat(section(installed(UNIT), "Service")).containsEntry("SuccessExitStatus", List.of("143"));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> availability.payloads(AVAILABILITY).contains("offline"));
                } finally {
                    device.destroyForcibly();
                }
            }
        }
    }

    /** ExecStart with /usr/bin/java and the jar mapped to this JVM and the extracted jar, and {@code -c config}. */
    private static List<String> execStart(Path config) throws IOException {
        List<String> command = new ArrayList<>();
        for (String argument :
                single(section(installed(UNIT), "Service"), "ExecStart").split("\\s+")) {
            command.add(
                    switch (argument) {
                        case "/usr/bin/java" ->
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString();
                        case INSTALLED_JAR -> installed(INSTALLED_JAR).toString();
                        case CONFFILE -> config.toString();
                        default -> argument;
                    });
        }
        return command;
    }

    private static Path installed(String path) {
        return root.resolve(path.substring(1));
    }

    /** The {@code [name]} section of a unit file: each key with its values, in order. */
    private static Map<String, List<String>> section(Path unit, String name) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = "";
        for (String line : Files.readAllLines(unit)) {
            String text = line.strip();
            if (text.startsWith("[")) {
                current = text;
            } else if (current.equals("[" + name + "]") && !text.isEmpty() && !text.startsWith("#")) {
                int equals = text.indexOf('=');
                keys.computeIfAbsent(text.substring(0, equals), key -> new ArrayList<>())
                        .add(text.substring(equals + 1));
            }
        }
        return keys;
    }

    private static String single(Map<String, List<String>> section, String key) {
        assertThat(section.get(key)).as(key).hasSize(1);
        return section.get(key).get(0);
    }

    /** The control fields in {@code dpkg-deb -I} output, without continuation lines. */
    private static Map<String, String> controlFields(List<String> info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info) {
            Matcher field = FIELD.matcher(line);
            if (field.matches()) {
                fields.put(field.group(1), field.group(2));
            }
        }
        return fields;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    /** As {@code build-deb.sh}: -SNAPSHOT becomes ~snapshot, any other '-' a '~'. */
    private static String debianVersion(String mavenVersion) {
        return mavenVersion.replaceFirst("-SNAPSHOT$", "~snapshot").replace('-', '~');
    }

    private record Result(int exitCode, List<String> stdout, List<String> stderr) {}

    /** Runs {@code command} to its end (at most 60 s), its output in files so that no pipe fills up. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("device-package-it", ".out");
        Path err = Files.createTempFile("device-package-it", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 60 s");
            }
            return new Result(
                    process.exitValue(),
                    Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run with failsafe (mvn verify)");
        }
        return value;
    }
}
