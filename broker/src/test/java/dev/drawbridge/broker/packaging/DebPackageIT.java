package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.freePort;
import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raspberry Pi package the build makes, inspected with {@code dpkg-deb} (not installed: that needs root and
 * systemd): its control fields, its files and their modes, its conffile, its maintainer scripts, and its unit file
 * checked by {@code systemd-analyze}; then the unit's ExecStart run from the extracted files.
 */
class DebPackageIT {

    private static final String VERSION = PackagingFiles.debianVersion(property("drawbridge.version"));
    static final Path DEB = Path.of(property("drawbridge.deb.dir")).resolve("drawbridge_" + VERSION + "_all.deb");
    private static final Path JAR = Path.of(property("drawbridge.jar"));

    private static final String INSTALLED_JAR = "/usr/share/drawbridge/drawbridge.jar";
    static final String CONFFILE = "/etc/drawbridge/mosquitto.conf";
    static final String UNIT = "/lib/systemd/system/drawbridge.service";
    static final String LAUNCHER = "/usr/bin/drawbridge";

    /** The class-data-sharing options the unit and the launcher share (DebCdsArchiveIT runs them). */
    private static final List<String> CDS_OPTIONS =
            List.of("-Xshare:auto", "-XX:SharedArchiveFile=/usr/share/drawbridge/drawbridge.jsa", "-Xlog:cds*=off");

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
        assertThat(run("dpkg-deb", "-x", DEB.toString(), root.toString()).exitCode())
                .isZero();
    }

    @Test
    void theControlFieldsDescribeAnArchitectureIndependentPackageNeedingAJava17Runtime() throws Exception {
        Result info = run("dpkg-deb", "-I", DEB.toString());
        Map<String, String> fields = controlFields(info.stdout());

        assertThat(info.exitCode()).isZero();
        assertThat(fields)
                .containsEntry("Package", "drawbridge")
                .containsEntry("Version", VERSION)
                .containsEntry("Architecture", "all")
                .containsEntry("Depends", "default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser")
                .containsKeys("Maintainer", "Description", "Section", "Priority");
        assertThat(Long.parseLong(fields.get("Installed-Size"))).isGreaterThanOrEqualTo(Files.size(JAR) / 1024);
        // The control archive's members; '*' marks the executable maintainer scripts.
        assertThat(info.stdout().stream().map(String::strip).filter(line -> line.matches("\\d+ bytes,.*")))
                .extracting(line ->
                        line.replaceAll("^\\d+ bytes,\\s+\\d+ lines\\s+", "").replaceAll("\\s+#!.*", ""))
                .containsExactlyInAnyOrder("conffiles", "control", "triggers", "*  postinst", "*  postrm", "*  prerm");
        assertThat(run("dpkg-deb", "-I", DEB.toString(), "conffiles").stdout()).containsExactly(CONFFILE);
        // A JDK package's files change: postinst is called "triggered" and makes the archive again.
        assertThat(run("dpkg-deb", "-I", DEB.toString(), "triggers").stdout())
                .containsExactly("interest-noawait /usr/lib/jvm");
    }

    @Test
    void theFilesAreTheJarTheLauncherTheConffileAndTheUnitWithTheirModesOwnedByRoot() throws Exception {
        Result contents = run("dpkg-deb", "-c", DEB.toString());
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
                        Map.entry("/etc/drawbridge/", "drwxr-xr-x"),
                        Map.entry("/etc/drawbridge/conf.d/", "drwxr-xr-x"),
                        Map.entry(CONFFILE, "-rw-r--r--"),
                        Map.entry("/lib/", "drwxr-xr-x"),
                        Map.entry("/lib/systemd/", "drwxr-xr-x"),
                        Map.entry("/lib/systemd/system/", "drwxr-xr-x"),
                        Map.entry(UNIT, "-rw-r--r--"),
                        Map.entry("/usr/", "drwxr-xr-x"),
                        Map.entry("/usr/bin/", "drwxr-xr-x"),
                        Map.entry(LAUNCHER, "-rwxr-xr-x"),
                        Map.entry("/usr/share/", "drwxr-xr-x"),
                        Map.entry("/usr/share/drawbridge/", "drwxr-xr-x"),
                        Map.entry(INSTALLED_JAR, "-rw-r--r--")));
        assertThat(installed(INSTALLED_JAR)).hasSameBinaryContentAs(JAR);
    }

    @Test
    void theUnitRunsTheInstalledJarWithTheConffileAsAnUnprivilegedHardenedService() throws Exception {
        Map<String, List<String>> service = section(installed(UNIT), "Service");
        List<String> execStart = execStart(installed(UNIT));
        int jar = execStart.indexOf("-jar");
        ConfLines conf = ConfLines.read(installed(CONFFILE));

        assertThat(execStart.get(0)).isEqualTo("/usr/bin/java");
        // JVM options: -X... and system properties (Netty's allocator, -Dio.netty.allocator.*).
        assertThat(execStart.subList(1, jar))
                .contains("-Xmx256m")
                .containsAll(CDS_OPTIONS)
                .allMatch(option -> option.startsWith("-X") || option.startsWith("-D"));
        assertThat(execStart.subList(jar, execStart.size())).containsExactly("-jar", INSTALLED_JAR, "-c", CONFFILE);
        assertThat(service)
                .containsEntry("User", List.of("drawbridge"))
                .containsEntry("Group", List.of("drawbridge"))
                .containsEntry("ExecReload", List.of("/bin/kill -HUP $MAINPID"))
                .containsEntry("Restart", List.of("on-failure"))
                .containsEntry("StateDirectory", List.of("drawbridge"))
                .containsEntry("LogsDirectory", List.of("drawbridge"))
                .containsEntry("ReadWritePaths", List.of("/var/lib/drawbridge /var/log/drawbridge"))
                .containsEntry("ProtectSystem", List.of("strict"))
                .containsEntry("ProtectHome", List.of("yes"))
                .containsEntry("PrivateTmp", List.of("yes"))
                .containsEntry("NoNewPrivileges", List.of("yes"))
                .containsEntry("CapabilityBoundingSet", List.of(""))
                .doesNotContainKeys("AmbientCapabilities", "MemoryDenyWriteExecute");
        // What the service writes is where it may write; its listeners need no privileged port.
        assertThat(conf.value("persistence_location")).isEqualTo("/var/lib/drawbridge/");
        assertThat(conf.values("log_dest"))
                .allMatch(dest -> !dest.startsWith("file ") || dest.startsWith("file /var/log/drawbridge/"));
        assertThat(conf.listenerPorts()).as("local-only: no listener line").isEmpty();
        assertThat(conf.value("include_dir")).isEqualTo("/etc/drawbridge/conf.d");
        assertThat(section(installed(UNIT), "Install")).containsEntry("WantedBy", List.of("multi-user.target"));
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        assertThat(onPath("systemd-analyze"))
                .as("systemd-analyze is installed (.ci/run installs systemd)")
                .isTrue();
        assertThat(Path.of("/usr/bin/java"))
                .as("the ExecStart program exists here (.ci/run installs openjdk-17-jre-headless)")
                .isExecutable();

        Result verify = run("systemd-analyze", "verify", installed(UNIT).toString());

        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.stdout()).as("%s", verify).isEmpty();
        assertThat(verify.stderr()).as("%s", verify).isEmpty();
    }

    /** systemd's own rating of the hardening: "OK" (below 5.0 of 10) or better; 3.1 with systemd 252. */
    @Test
    void systemdAnalyzeSecurityRatesTheUnitOkOrBetter() throws Exception {
        assertThat(onPath("systemd-analyze"))
                .as("systemd-analyze is installed (.ci/run installs systemd)")
                .isTrue();

        Result security = run(
                "systemd-analyze", "security", "--offline=true", installed(UNIT).toString());
        assertThat(security.exitCode())
                .as("systemd-analyze security --offline (systemd 250+): %s", security)
                .isZero();
        Matcher overall = Pattern.compile("Overall exposure level for drawbridge\\.service: (\\d+\\.\\d+)")
                .matcher(String.join("\n", security.stdout()));

        assertThat(overall.find()).as("%s", security).isTrue();
        assertThat(Double.parseDouble(overall.group(1))).isLessThan(5.0);
    }

    @Test
    void theMaintainerScriptsAreShellThatCreatesTheServiceUser() throws Exception {
        Path control = work.resolve("DEBIAN");
        assertThat(run("dpkg-deb", "-e", DEB.toString(), control.toString()).exitCode())
                .isZero();

        for (String script : List.of("postinst", "prerm", "postrm")) {
            Result syntax = run("sh", "-n", control.resolve(script).toString());
            assertThat(syntax.exitCode())
                    .as("sh -n %s: %s", script, syntax.stderr())
                    .isZero();
        }
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("adduser --system --group --home /var/lib/drawbridge --quiet drawbridge")
                .contains("deb-systemd-helper enable drawbridge.service");
    }

    @Test
    void theLauncherRunsTheInstalledJar() throws Exception {
        String launcher = Files.readString(installed(LAUNCHER));
        Path here = Files.writeString(
                work.resolve("drawbridge"),
                launcher.replace(INSTALLED_JAR, installed(INSTALLED_JAR).toString()));

        Result version = run("sh", here.toString(), "--version");

        assertThat(launcher).startsWith("#!/bin/sh\n").contains("exec java ").contains(INSTALLED_JAR);
        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.stdout()).singleElement().asString().startsWith("drawbridge version ");
    }

    /**
     * ExecStart with /usr/bin/java, the jar and the conffile mapped to the extracted files, and /var/lib and /var/log
     * to a temporary directory; a listener on a free port comes from a file in conf.d, as the conffile suggests.
     */
    @Test
    void theExecStartCommandRunsTheBrokerFromThePackagedFilesAndStopsCleanlyOnSigterm() throws Exception {
        Path state = Files.createDirectories(work.resolve("var/lib/drawbridge"));
        Files.createDirectories(work.resolve("var/log/drawbridge"));
        Path confD = Files.createDirectories(work.resolve("etc/drawbridge/conf.d"));
        int port = freePort();
        Files.writeString(confD.resolve("test.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        Path conf = work.resolve("etc/drawbridge/mosquitto.conf");
        Files.writeString(
                conf,
                Files.readString(installed(CONFFILE))
                        .replace("/var/lib/drawbridge", state.toString())
                        .replace(
                                "/var/log/drawbridge",
                                work.resolve("var/log/drawbridge").toString())
                        .replace("/etc/drawbridge/conf.d", confD.toString()));
        List<String> command = new ArrayList<>();
        for (String argument :
                single(section(installed(UNIT), "Service"), "ExecStart").split("\\s+")) {
            command.add(
                    switch (argument) {
                        case "/usr/bin/java" -> PackagingFiles.javaCommand().toString();
                        case INSTALLED_JAR -> installed(INSTALLED_JAR).toString();
                        case CONFFILE -> conf.toString();
                        default -> argument;
                    });
        }

        try (BrokerProcess broker = BrokerProcess.start(command, work, work.resolve("broker.log"), port)) {
            try (ClientProcess subscriber = subscribed(port, "-t", "garage/#", "-v", "-C", "1")) {
                assertThat(pub(port, "-t", "garage/state", "-q", "1", "-r", "-m", "closed")
                                .exitCode())
                        .isZero();
                subscriber.awaitLine("garage/state closed"::equals, Duration.ofSeconds(15));
            }
            assertThat(broker.stop())
                    .as("exit status after SIGTERM; output:%n%s", broker.output())
                    .isZero();
        }
        try (Stream<Path> store = Files.walk(state)) {
            assertThat(store.filter(Files::isRegularFile))
                    .as("the store under StateDirectory")
                    .isNotEmpty();
        }
        try (BrokerProcess broker = BrokerProcess.start(command, work, work.resolve("broker2.log"), port)) {
            assertThat(subUntilDone(port, "-t", "garage/state", "-C", "1", "-W", "10")
                            .stdout())
                    .containsExactly("closed");
            assertThat(broker.stop()).isZero();
        }
    }

    /**
     * The launcher passes the unit's JVM options, the archive's included, except the exit on OutOfMemoryError that
     * only a service restarted by systemd wants; then the user's DRAWBRIDGE_JAVA_OPTS.
     */
    @Test
    void theLauncherHasTheUnitsJvmOptions() throws Exception {
        String launcher = Files.readString(installed(LAUNCHER)).replace("\\\n", " ");
        Matcher exec = Pattern.compile("(?m)^exec java (.*) \\$\\{DRAWBRIDGE_JAVA_OPTS:-\\} -jar "
                        + Pattern.quote(INSTALLED_JAR) + " \"\\$@\"$")
                .matcher(launcher);
        List<String> unit = execStart(installed(UNIT));

        assertThat(exec.find()).as(launcher).isTrue();
        assertThat(List.of(exec.group(1).replace("'", "").strip().split("\\s+")))
                .containsAll(CDS_OPTIONS)
                .containsExactlyElementsOf(unit.subList(1, unit.indexOf("-jar")).stream()
                        .filter(option -> !option.equals("-XX:+ExitOnOutOfMemoryError"))
                        .toList());
    }

    /** The unit's ExecStart, split into its words. */
    static List<String> execStart(Path unit) throws IOException {
        return List.of(single(section(unit, "Service"), "ExecStart").split("\\s+"));
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

    static Result run(String... command) throws IOException, InterruptedException {
        try (ClientProcess process = ClientProcess.start(List.of(command))) {
            int code = process.waitFor(Duration.ofSeconds(60));
            return new Result(code, process.stdout(), process.stderr());
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
