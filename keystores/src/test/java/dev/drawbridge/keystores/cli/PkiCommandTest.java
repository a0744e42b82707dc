package dev.drawbridge.keystores.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.OpenSsl;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiCommandTest {

    @TempDir
    Path root;

    private final Map<String, String> environment = Map.of("CA_PASS", "ca passphrase", "P12_PASS", "p12 password");
    private final Deque<char @Nullable []> typed = new ArrayDeque<>();
    private @Nullable Clock listClock;

    private record Run(int exitCode, String out, String err) {}

    @Test
    void wholeLifecycleWithEncryptedCaKey() throws Exception {
        Path pki = root.resolve("pki");

        Run init = run(
                "init",
                pki.toString(),
                "--cn",
                "Home CA",
                "--key-type",
                "EC",
                "--encrypt-key",
                "--passphrase-env",
                "CA_PASS");
        Run server = run(
                "server",
                "mqtt.local",
                "--dir",
                pki.toString(),
                "--dns",
                "mqtt.local,broker.lan",
                "--ip",
                "192.168.1.10",
                "--passphrase-env",
                "CA_PASS");
        Run client = run(
                "client", "garage.local", "--dir", pki.toString(), "--key-type", "ec", "--passphrase-env", "CA_PASS");

        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("Created CA 'CN=Home CA'", "(encrypted)");
        assertThat(server.exitCode()).as(server.err()).isZero();
        assertThat(client.exitCode()).as(client.err()).isZero();
        assertThat(Files.readString(pki.resolve("ca.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(pki.resolve("garage.local.key")))
                .isEqualTo(PkiFiles.SECRET);
        assertThat(openssl(pki, "verify", "-CAfile", "ca.crt", "mqtt.local.crt", "garage.local.crt"))
                .contains("mqtt.local.crt: OK", "garage.local.crt: OK");
        assertThat(openssl(pki, "x509", "-in", "mqtt.local.crt", "-noout", "-ext", "subjectAltName"))
                .contains("DNS:mqtt.local, DNS:broker.lan, IP Address:192.168.1.10");

        Run revoke = run("revoke", "garage.local", "--dir", pki.toString(), "--passphrase-env", "CA_PASS");
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(openssl(pki, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "garage.local.crt"))
                .contains("certificate revoked");
        Run crl = run("crl", "--dir", pki.toString(), "--crl-days", "90", "--passphrase-env", "CA_PASS");
        assertThat(crl.out()).contains("1 revoked");
    }

    @Test
    void encryptedCaKeyWithoutPassphraseOrTerminalFailsClearly() throws Exception {
        Path pki = root.resolve("pki");
        typed.add("typed passphrase".toCharArray());
        typed.add("typed passphrase".toCharArray());
        assertThat(run("init", pki.toString(), "--key-type", "ec", "--encrypt-key")
                        .exitCode())
                .isZero();

        Run client = run("client", "garage", "--dir", pki.toString());

        assertThat(client.exitCode()).isEqualTo(PkiCommand.FAILED);
        assertThat(client.err())
                .isEqualTo("pki client: no terminal to ask for the CA key passphrase; use "
                        + "--passphrase-env or --passphrase-file\n");
        Path file = root.resolve("passphrase.txt");
        Files.writeString(file, "typed passphrase\n");
        assertThat(run("client", "garage", "--dir", pki.toString(), "--passphrase-file", file.toString())
                        .exitCode())
                .isZero();
        assertThat(run("client", "gate", "--dir", pki.toString(), "--passphrase-env", "NOT_SET")
                        .err())
                .isEqualTo("pki client: --passphrase-env: environment variable NOT_SET is not set or empty\n");
    }

    @Test
    void refusesToOverwriteUnlessForced() throws Exception {
        Path pki = root.resolve("pki");
        run("init", pki.toString(), "--key-type", "ec");

        Run again = run("init", pki.toString(), "--key-type", "ec");

        assertThat(again.exitCode()).isEqualTo(PkiCommand.FAILED);
        assertThat(again.err())
                .isEqualTo("pki init: " + pki.resolve("ca.key") + ": already exists, refusing to overwrite it\n");
        assertThat(run("init", pki.toString(), "--key-type", "ec", "--force").exitCode())
                .isZero();
    }

    @Test
    void fingerprintInEveryFormatMatchesOpenssl() throws Exception {
        Path pki = root.resolve("pki");
        run("init", pki.toString(), "--key-type", "ec");
        run("server", "mqtt.local", "--dir", pki.toString(), "--key-type", "ec");
        String file = pki.resolve("mqtt.local.crt").toString();
        String colon = openssl(pki, "x509", "-in", "mqtt.local.crt", "-noout", "-fingerprint", "-sha1")
                .strip();
        colon = colon.substring(colon.indexOf('=') + 1);

        assertThat(run("fingerprint", file, "--sha1").out()).isEqualTo(colon + "\n");
        assertThat(run("fingerprint", file, "--sha1", "--format", "esp8266").out())
                .isEqualTo(colon.replace(':', ' ') + "\n");
        assertThat(run("fingerprint", file, "--sha1", "--format", "hex").out())
                .isEqualTo(colon.replace(":", "").toLowerCase(Locale.ROOT) + "\n");
        assertThat(run("fingerprint", file).out())
                .isEqualTo(Fingerprints.of(
                                PemFiles.readCertificate(Path.of(file)),
                                FingerprintAlgorithm.SHA256,
                                FingerprintFormat.COLON)
                        + "\n");
        assertThat(run("fingerprint", file, "--format", "base64").exitCode()).isEqualTo(PkiCommand.USAGE);
        assertThat(run("fingerprint", pki.resolve("mqtt.local.key").toString()).err())
                .isEqualTo("pki fingerprint: " + pki.resolve("mqtt.local.key")
                        + ": not a PEM certificate (found 'BEGIN PRIVATE KEY')\n");
    }

    @Test
    void exportWritesDerAndPkcs12() throws Exception {
        Path pki = root.resolve("pki");
        run("init", pki.toString());
        run("client", "garage", "--dir", pki.toString());

        Run export = run("export", "garage", "--dir", pki.toString(), "--der", "--p12", "--password-env", "P12_PASS");

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(pki.resolve("garage.der")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(pki.resolve("garage.key.der"))).isEqualTo(PkiFiles.SECRET);
        assertThat(openssl(pki, "pkcs12", "-info", "-in", "garage.p12", "-passin", "pass:p12 password", "-nokeys"))
                .contains("subject=CN = garage");
        assertThat(run("export", "garage", "--dir", pki.toString()).err())
                .isEqualTo("pki export: nothing to export: give --der, --p12 or both\n");
    }

    @Test
    void listExitsOneWhenSomethingExpiresWithinWarnDays() throws Exception {
        Path pki = root.resolve("pki");
        run("init", pki.toString(), "--key-type", "ec");
        run("server", "mqtt.local", "--dir", pki.toString(), "--key-type", "ec", "--days", "20");

        Run calm = run("list", pki.toString(), "--warn-days", "10");
        Run warned = run("list", pki.toString());
        listClock = Clock.offset(Clock.systemUTC(), Duration.ofDays(30));
        Run later = run("list", pki.toString(), "--warn-days", "0");

        assertThat(calm.exitCode()).as(calm.err()).isEqualTo(PkiCommand.OK);
        assertThat(calm.out()).contains("ca.crt", "CN=mqtt.local", "DNS:mqtt.local", "ok");
        assertThat(warned.exitCode()).isEqualTo(PkiCommand.EXPIRING);
        assertThat(warned.err()).isEqualTo("pki list: 1 certificate(s) expire within 30 days\n");
        assertThat(later.exitCode()).isEqualTo(PkiCommand.EXPIRING);
        assertThat(later.out()).contains("EXPIRED");
    }

    @Test
    void badUsageIsExitCodeTwo() {
        assertThat(run("server", "mqtt.local").exitCode()).as("--dir missing").isEqualTo(PkiCommand.USAGE);
        assertThat(run("init", root.toString(), "--key-type", "dsa").exitCode()).isEqualTo(PkiCommand.USAGE);
        assertThat(run().exitCode()).isEqualTo(PkiCommand.USAGE);
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PkiCommand(environment::get, prompt -> typed.poll()));
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        if (listClock != null) {
            ((ListCommand) commandLine.getSubcommands().get("list").getCommand()).clock = listClock;
        }
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static String openssl(Path directory, String... args) throws IOException, InterruptedException {
        return OpenSsl.run(directory, args).output();
    }
}
