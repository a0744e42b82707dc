package dev.drawbridge.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.passwordfile.PasswordHash;
import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.ConsoleConfig;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.keystores.PkiFiles;
import dev.drawbridge.keystores.cli.PkiCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class QuickstartCommandTest {

    @TempDir
    Path root;

    /** What a finished {@code pki quickstart} printed. */
    record Run(int exitCode, String out, String err) {

        /** The passwords printed, by user: the line after {@code User NAME} or {@code Device NAME}. */
        Map<String, String> passwords() {
            Map<String, String> passwords = new LinkedHashMap<>();
            String user = null;
            for (String line : out.split("\n")) {
                if (line.startsWith("User ") || line.startsWith("Device ")) {
                    user = line.split(" ")[1];
                } else if (line.startsWith("  password ") && user != null) {
                    passwords.put(user, line.substring("  password ".length()).strip());
                }
            }
            return passwords;
        }

        /** The value printed after {@code label} (first occurrence), up to two spaces or the end of the line. */
        String printed(String label) {
            String line = out.lines()
                    .filter(l -> l.startsWith(label))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no line '" + label + "' in:\n" + out));
            return line.substring(label.length()).strip().split(" {2,}")[0];
        }
    }

    static Run quickstart(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PkiCommand()).addSubcommand(new QuickstartCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("quickstart"));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Run garageAndGate(Path dir) {
        Run run = quickstart(
                dir.toString(),
                "--server",
                "mqtt.local",
                "--server-ip",
                "192.168.1.10",
                "--device",
                "garage",
                "--device",
                "gate");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run;
    }

    @Test
    void writesEveryFileWithKeysPasswdAndAclOwnerOnly() throws Exception {
        Path dir = root.resolve("home");
        garageAndGate(dir);

        for (String secret :
                List.of("ca/ca.key", "ca/mqtt.local.key", "ca/garage.key", "ca/gate.key", "passwd", "acl")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(secret)))
                    .as(secret)
                    .isEqualTo(PkiFiles.SECRET);
        }
        for (String other :
                List.of("ca/ca.crt", "ca/crl.pem", "ca/mqtt.local.crt", "ca/garage.crt", "mosquitto.conf")) {
            assertThat(dir.resolve(other)).as(other).isRegularFile();
        }
    }

    @Test
    void opensslAcceptsTheServerAndDeviceCertificatesForTheirPurpose() throws Exception {
        Path ca = root.resolve("home/ca");
        garageAndGate(ca.getParent());

        assertThat(openssl(ca, "verify", "-purpose", "sslserver", "-CAfile", "ca.crt", "mqtt.local.crt"))
                .isEqualTo("mqtt.local.crt: OK\n");
        assertThat(openssl(ca, "verify", "-purpose", "sslclient", "-CAfile", "ca.crt", "garage.crt", "gate.crt"))
                .isEqualTo("garage.crt: OK\ngate.crt: OK\n");
        assertThat(openssl(ca, "x509", "-in", "mqtt.local.crt", "-noout", "-ext", "subjectAltName"))
                .contains("DNS:mqtt.local, DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.10");
        assertThat(openssl(ca, "x509", "-in", "garage.crt", "-noout", "-subject"))
                .isEqualTo("subject=CN = garage\n");
    }

    @Test
    void printedEsp8266FingerprintIsOpensslsSha1OfTheServerCertificate() throws Exception {
        Path dir = root.resolve("home");
        Run run = garageAndGate(dir);

        String sha1 = openssl(dir.resolve("ca"), "x509", "-in", "mqtt.local.crt", "-noout", "-fingerprint", "-sha1");
        String sha256 =
                openssl(dir.resolve("ca"), "x509", "-in", "mqtt.local.crt", "-noout", "-fingerprint", "-sha256");

        String esp8266 = run.printed("  server SHA-1");
        assertThat(esp8266).matches("[0-9A-F]{2}( [0-9A-F]{2}){19}");
        assertThat(esp8266.replace(' ', ':')).isEqualTo(afterEquals(sha1));
        assertThat(run.printed("  server SHA-256")).isEqualTo(afterEquals(sha256));
        // Printed for each device, pinned in each device's sketch.
        assertThat(run.out().split("server SHA-1", -1)).hasSize(3);
    }

    @Test
    void passwordsAreRandomPrintedOnceAndOnlyTheirHashesAreStored() throws Exception {
        Path dir = root.resolve("home");
        Run run = garageAndGate(dir);

        Map<String, String> passwords = run.passwords();
        assertThat(passwords).containsOnlyKeys("admin", "garage", "gate");
        assertThat(passwords.values()).doesNotHaveDuplicates().allSatisfy(password -> {
            assertThat(password).matches("[A-HJ-NP-Za-km-z2-9]{20}");
            assertThat(run.out().split(password, -1)).as("printed once").hasSize(2);
        });
        List<String> lines = Files.readAllLines(dir.resolve("passwd"), StandardCharsets.UTF_8);
        assertThat(lines)
                .extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("admin", "garage", "gate");
        for (String line : lines) {
            String user = line.substring(0, line.indexOf(':'));
            PasswordHash hash = PasswordHash.decode(line.substring(line.indexOf(':') + 1));
            assertThat(line).startsWith(user + ":$7$101$");
            assertThat(hash.verify(passwords.get(user).getBytes(StandardCharsets.UTF_8)))
                    .as(user)
                    .isTrue();
        }
        for (String file : List.of("passwd", "acl", "mosquitto.conf")) {
            String text = Files.readString(dir.resolve(file));
            assertThat(passwords.values()).as(file).noneMatch(text::contains);
        }
    }

    @Test
    void aclGivesEachDeviceOnlyItsOwnTopicsAndAdminEverything() throws Exception {
        Path dir = root.resolve("home");
        garageAndGate(dir);

        List<String> rules = Files.readAllLines(dir.resolve("acl")).stream()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();

        assertThat(rules)
                .containsExactly(
                        "user admin",
                        "topic readwrite #",
                        "user garage",
                        "topic readwrite drawbridge/garage/#",
                        "topic write homeassistant/cover/garage/door/config",
                        "topic read homeassistant/status",
                        "user gate",
                        "topic readwrite drawbridge/gate/#",
                        "topic write homeassistant/cover/gate/door/config",
                        "topic read homeassistant/status");
    }

    @Test
    void drawbridgeReadsTheConfigurationAsTwoListenersWithTheirOwnSecurity() throws Exception {
        // A space in the path: paths are written whole (the rest of the line), and quoted in printed commands.
        Path dir = root.resolve("my home").toAbsolutePath();
        Run run = garageAndGate(dir);

        BrokerConfig config = ConfigParser.parse(dir.resolve("mosquitto.conf"));

        assertThat(config.listeners()).hasSize(2);
        ListenerConfig devices = config.listeners().get(0);
        TlsConfig tls = devices.tls().orElseThrow();
        assertThat(devices.port()).isEqualTo(8883);
        assertThat(devices.bindAddress()).isEmpty();
        assertThat(tls.cafile()).contains(dir.resolve("ca/ca.crt"));
        assertThat(tls.certfile()).isEqualTo(dir.resolve("ca/mqtt.local.crt"));
        assertThat(tls.keyfile()).isEqualTo(dir.resolve("ca/mqtt.local.key"));
        assertThat(tls.requireCertificate()).isTrue();
        assertThat(tls.useIdentityAsUsername()).isTrue();
        assertThat(tls.tlsVersions()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.crlfile()).isEmpty();
        assertThat(devices.security().allowAnonymous()).isFalse();
        assertThat(devices.security().passwordFile()).isEmpty();
        assertThat(devices.security().aclFile()).contains(dir.resolve("acl"));
        ListenerConfig local = config.listeners().get(1);
        assertThat(local.port()).isEqualTo(1883);
        assertThat(local.bindAddress()).contains("127.0.0.1");
        assertThat(local.tls()).isEmpty();
        assertThat(local.security().allowAnonymous()).isFalse();
        assertThat(local.security().passwordFile()).contains(dir.resolve("passwd"));
        assertThat(local.security().aclFile()).contains(dir.resolve("acl"));
        assertThat(config.consoles()).hasSize(1);
        ConsoleConfig console = config.consoles().get(0);
        assertThat(console.listener().port()).isEqualTo(8443);
        assertThat(console.listener().bindAddress()).contains("127.0.0.1");
        assertThat(console.listener().tls().orElseThrow().certfile()).isEqualTo(dir.resolve("ca/mqtt.local.crt"));
        assertThat(console.listener().tls().orElseThrow().keyfile()).isEqualTo(dir.resolve("ca/mqtt.local.key"));
        assertThat(console.listener().security().passwordFile()).contains(dir.resolve("passwd"));
        assertThat(console.users()).containsExactly("admin");
        assertThat(console.caDirectory()).contains(dir.resolve("ca"));

        String conf = Files.readString(dir.resolve("mosquitto.conf"));
        assertThat(conf.substring(conf.indexOf("\n# --- Drawbridge console")))
                .as("the console's block is the end of the file, so Mosquitto 2.0 can be given what precedes it")
                .contains("\nlistener 8443 127.0.0.1\nprotocol http_api\n")
                .doesNotContain("listener 8883", "listener 1883");
        assertThat(conf).doesNotContain("\ntls_version").contains("\n#crlfile " + dir.resolve("ca/crl.pem") + "\n");
        assertThat(run.out())
                .contains("java -jar drawbridge.jar -c '" + dir.resolve("mosquitto.conf") + "'\n")
                .contains("mosquitto_pub -h localhost -p 8883 --cafile '" + dir.resolve("ca/ca.crt") + "' --cert '"
                        + dir.resolve("ca/garage.crt") + "' --key '" + dir.resolve("ca/garage.key")
                        + "' -t drawbridge/garage/state -m hello\n");
    }

    @Test
    void refusesToOverwriteAnyFileAndNamesEachOneWithoutWritingAnything() throws Exception {
        Path dir = root.resolve("home").toAbsolutePath();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("acl"), "user mine\n");
        Files.writeString(dir.resolve("mosquitto.conf"), "listener 1883\n");

        Run run = quickstart(dir.toString(), "--server", "mqtt.local", "--device", "garage");

        assertThat(run.exitCode()).isEqualTo(PkiCommand.FAILED);
        assertThat(run.err())
                .isEqualTo("pki quickstart: " + dir.resolve("acl")
                        + ": already exists, refusing to overwrite it (--force replaces it)\n"
                        + "pki quickstart: " + dir.resolve("mosquitto.conf")
                        + ": already exists, refusing to overwrite it (--force replaces it)\n");
        assertThat(run.out()).isEmpty();
        assertThat(dir.resolve("ca")).doesNotExist();
        assertThat(dir.resolve("passwd")).doesNotExist();
        assertThat(Files.readString(dir.resolve("acl"))).isEqualTo("user mine\n");
    }

    @Test
    void forceReplacesAnEarlierQuickstart() throws Exception {
        Path dir = root.resolve("home");
        garageAndGate(dir);
        String oldCa = Files.readString(dir.resolve("ca/ca.crt"));

        Run again = quickstart(dir.toString(), "--server", "mqtt.local", "--device", "garage", "--force");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(dir.resolve("ca/ca.crt"))).isNotEqualTo(oldCa);
        assertThat(Files.readString(dir.resolve("acl"))).doesNotContain("gate");
        assertThat(Files.getPosixFilePermissions(dir.resolve("passwd"))).isEqualTo(PkiFiles.SECRET);
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(
                        "admin is the password user for everything",
                        List.of("--server", "mqtt.local", "--device", "admin"),
                        "pki quickstart: --device: 'admin' is reserved, choose another name\n"),
                Arguments.of(
                        "a device name becomes a topic level, so no '/'",
                        List.of("--server", "mqtt.local", "--device", "garage/door"),
                        "pki quickstart: --device: expected letters, digits, '.', '-' or '_' like garage,"
                                + " found 'garage/door'\n"),
                Arguments.of(
                        "the same device twice",
                        List.of("--server", "mqtt.local", "--device", "garage", "--device", "garage"),
                        "pki quickstart: --device: 'garage' given twice\n"),
                Arguments.of(
                        "a device named like the server would share its certificate file",
                        List.of("--server", "mqtt.local", "--device", "mqtt.local"),
                        "pki quickstart: --device: 'mqtt.local' is the server's name, choose another name\n"),
                Arguments.of(
                        "an address as --server",
                        List.of("--server", "192.168.1.10", "--device", "garage"),
                        "pki quickstart: --server: expected a DNS name like mqtt.local, found the address"
                                + " '192.168.1.10' (give addresses with --server-ip)\n"),
                Arguments.of(
                        "not a DNS name",
                        List.of("--server", "mqtt_local", "--device", "garage"),
                        "pki quickstart: --server: DNS name: expected a host name like mqtt.local,"
                                + " found 'mqtt_local'\n"),
                Arguments.of(
                        "not an IP address, reported together with a bad device",
                        List.of("--server", "mqtt.local", "--server-ip", "300.1.1.1", "--device", "a b"),
                        "pki quickstart: --server-ip: IP address: expected an IPv4 or IPv6 address like"
                                + " 192.168.1.10, found '300.1.1.1'\n"
                                + "pki quickstart: --device: expected letters, digits, '.', '-' or '_' like garage,"
                                + " found 'a b'\n"),
                Arguments.of(
                        "no device", List.of("--server", "mqtt.local"), "Missing required option: '--device=NAME'\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void badArgumentsAreRefusedBeforeAnythingIsWritten(String description, List<String> args, String expected) {
        Path dir = root.resolve("home");
        List<String> all = new ArrayList<>(List.of(dir.toString()));
        all.addAll(args);

        Run run = quickstart(all.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(PkiCommand.USAGE);
        assertThat(run.err()).startsWith(expected);
        assertThat(dir).doesNotExist();
    }

    private static String afterEquals(String opensslFingerprint) {
        return opensslFingerprint.substring(opensslFingerprint.indexOf('=') + 1).strip();
    }

    /** Runs {@code openssl} in {@code directory}, asserts it succeeded and returns what it printed. */
    static String openssl(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(process.exitValue()).as("openssl %s:%n%s", command, output).isZero();
        return output;
    }
}
