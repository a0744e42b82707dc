package dev.drawbridge.broker.it.process;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.Ports;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mosquitto 2.1's command-line options {@code --test-config} (check the file and what it names, print the problems,
 * exit 0 or 1, bind nothing) and {@code -q} (log nothing), on the real jar.
 */
class ConfigTestOptionIT {

    private static final Duration LINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aGoodFileExits0AndBindsAndWritesNothing() throws Exception {
        Files.createDirectory(dir.resolve("data"));
        write("passwd", "");
        write("acl", "topic read #\n");
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path conf = write(
                    "mosquitto.conf",
                    "listener " + held.getLocalPort() + " 127.0.0.1\npassword_file passwd\nacl_file acl\n"
                            + "persistence true\npersistence_location data\n");

            Result checked = BrokerJar.run(dir, "--test-config", "-c", conf.toString());

            assertThat(checked.exitCode())
                    .as("--test-config: %s", checked.stderr())
                    .isZero();
            assertThat(checked.stderr()).containsExactly("Configuration file is OK.");
            assertThat(dir.resolve("data/drawbridge-store")).doesNotExist();
            // The control: a real start of the same file wants the port this test holds.
            Result started = BrokerJar.run(dir, "-c", conf.toString());
            assertThat(started.exitCode()).isEqualTo(1);
            assertThat(String.join("\n", started.stderr())).contains("in use");
        }
    }

    @Test
    void aBadFileExits1WithEveryProblemAsFileLineReason() throws Exception {
        Path conf = write(
                "mosquitto.conf",
                "listener 1883\nmax_keepalive forever\nplugin /usr/lib/mosquitto_dynamic_security.so\n");

        Result checked = BrokerJar.run(dir, "--test-config", "-c", conf.toString());

        assertThat(checked.exitCode()).isEqualTo(1);
        assertThat(checked.stderr())
                .containsExactly(
                        "Error: found 2 problem(s) in the configuration:",
                        conf + ":2: max_keepalive: expected an integer 0-65535, found 'forever'",
                        conf + ":3: plugin: mosquitto_dynamic_security.so is not supported by Drawbridge, and ignoring"
                                + " it would weaken security; move its users and rules to password_file and acl_file");
    }

    /**
     * A bridge this version does not run (start_type lazy) is refused by the check and the start, naming its {@code
     * connection} line; the same bridge started automatically passes the check.
     */
    @Test
    void aBridgeThisVersionDoesNotRunIsRefusedByTheCheckAndTheStart() throws Exception {
        int port = Ports.free();
        String listener = "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
        String bridge = "connection upstream\naddress 127.0.0.1:1\ntopic sensors/# out 1 \"\" house/\n";
        Path lazy = write("lazy.conf", listener + bridge + "start_type lazy\n");
        String refusal = "Error: " + lazy + ":3: connection upstream: start_type lazy is not yet run by this version;"
                + " only automatic is; starting without the bridge would lose what it should carry, so Drawbridge"
                + " does not start";

        Result lazyChecked = BrokerJar.run(dir, "--test-config", "-c", lazy.toString());
        Result lazyStarted = BrokerJar.run(dir, "-c", lazy.toString());

        assertThat(lazyChecked.exitCode()).isEqualTo(1);
        assertThat(lazyChecked.stderr()).containsExactly(refusal);
        assertThat(lazyStarted.exitCode()).isEqualTo(1);
        assertThat(lazyStarted.stderr()).contains(refusal).noneMatch(BrokerJar.RUNNING);
        // The control: the same bridge over plain TCP, started automatically, passes the check.
        Path plain = write("plain.conf", listener + bridge);
        Result plainChecked = BrokerJar.run(dir, "--test-config", "-c", plain.toString());
        assertThat(plainChecked.exitCode()).as("%s", plainChecked.stderr()).isZero();
    }

    /**
     * A TLS bridge's material is loaded by the check and the start: a file that cannot be used is refused at the
     * bridge's {@code connection} line, a missing one at its own line; with usable files the same bridge passes.
     */
    @Test
    void aTlsBridgeWhoseFilesCannotBeUsedIsRefusedByTheCheckAndTheStart() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectory(dir.resolve("pki")), "remote");
        Issued client = pki.client("house");
        int port = Ports.free();
        String listener = "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
        String bridge = "connection upstream\naddress 127.0.0.1:1\ntopic sensors/# out 1 \"\" house/\n";
        Path noCa = Files.createDirectory(dir.resolve("no-ca"));
        Files.writeString(noCa.resolve("README"), "no certificate here\n", StandardCharsets.UTF_8);
        Path emptyCapath = write("capath.conf", listener + bridge + "bridge_capath " + noCa + "\n");
        Path garbled = write("garbled.crt", "not a certificate\n");
        Path badCert = write(
                "cert.conf",
                listener + bridge + "bridge_cafile " + pki.caFile() + "\nbridge_certfile " + garbled
                        + "\nbridge_keyfile " + client.key() + "\n");
        Path missing = dir.resolve("missing.crt");
        Path missingCert = write(
                "missing.conf",
                listener + bridge + "bridge_cafile " + pki.caFile() + "\nbridge_certfile " + missing
                        + "\nbridge_keyfile " + client.key() + "\n");

        Result capathChecked = BrokerJar.run(dir, "--test-config", "-c", emptyCapath.toString());
        Result capathStarted = BrokerJar.run(dir, "-c", emptyCapath.toString());
        Result certChecked = BrokerJar.run(dir, "--test-config", "-c", badCert.toString());
        Result missingChecked = BrokerJar.run(dir, "--test-config", "-c", missingCert.toString());

        String noCaRefusal =
                "Error: " + emptyCapath + ":3: connection upstream: " + noCa + ": bridge_capath holds no CA"
                        + " certificate (files *.pem, *.crt or hash links like 9d66eef0.0 are read), so no remote broker could"
                        + " be trusted";
        assertThat(capathChecked.exitCode()).isEqualTo(1);
        // Loading TLS material logs the TLS provider first, as for a listener's.
        assertThat(capathChecked.stderr()).endsWith(noCaRefusal);
        assertThat(capathStarted.exitCode()).isEqualTo(1);
        assertThat(capathStarted.stderr()).contains(noCaRefusal).noneMatch(BrokerJar.RUNNING);
        assertThat(certChecked.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", certChecked.stderr()))
                .contains("Error: " + badCert + ":3: connection upstream: " + garbled + ": ");
        assertThat(missingChecked.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", missingChecked.stderr()))
                .contains(missingCert + ":7: bridge_certfile: cannot read '" + missing + "': ");
        // The control: the same bridge with its client certificate passes the check.
        Path good = write(
                "good.conf",
                listener + bridge + "bridge_cafile " + pki.caFile() + "\nbridge_certfile " + client.cert()
                        + "\nbridge_keyfile " + client.key() + "\n");
        Result goodChecked = BrokerJar.run(dir, "--test-config", "-c", good.toString());
        assertThat(goodChecked.exitCode()).as("%s", goodChecked.stderr()).isZero();
        assertThat(goodChecked.stderr()).endsWith("Configuration file is OK.").noneMatch(l -> l.startsWith("Error"));
    }

    /** Past the config file: the ACL file it names is read as at a start, so its bad line is found now. */
    @Test
    void aBadLineInTheAclFileExits1() throws Exception {
        Path acl = write("acl", "topic read #\ntopic sideways garage/#\n");
        Path conf = write("mosquitto.conf", "listener 1883\nacl_file " + acl + "\n");

        Result checked = BrokerJar.run(dir, "--test-config", "-c", conf.toString());

        assertThat(checked.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", checked.stderr())).startsWith("Error: " + acl + ":2: ");
    }

    /** Past the config file: the TLS material and the plugin jars it names are loaded as at a start. */
    @Test
    void aBadKeyfileOrPluginJarExits1() throws Exception {
        Path cert = write("server.crt", "not a certificate\n");
        Path key = write("server.key", "not a key\n");
        Path tls = write("tls.conf", "listener 8883\ncertfile " + cert + "\nkeyfile " + key + "\n");
        Path notAJar = write("plugin.jar", "not a jar\n");
        Path plugin = write("plugin.conf", "listener 1883\nplugin " + notAJar + "\n");

        Result badTls = BrokerJar.run(dir, "--test-config", "-c", tls.toString());
        Result badPlugin = BrokerJar.run(dir, "--test-config", "-c", plugin.toString());

        assertThat(badTls.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", badTls.stderr()))
                .startsWith("Error: listener *:8883 (tls): ")
                .contains(key + ": not a PEM private key");
        assertThat(badPlugin.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", badPlugin.stderr())).startsWith("Error: " + notAJar + ": ");
    }

    @Test
    void warningsArePrintedAndTheFileIsStillOk() throws Exception {
        Path conf = write("mosquitto.conf", "listener 1883\nmemory_limit 0\n");

        Result checked = BrokerJar.run(dir, "--test-config", "-c", conf.toString());

        assertThat(checked.exitCode()).isZero();
        assertThat(checked.stderr())
                .containsExactly(
                        "Warning: " + conf + ":2: memory_limit: not supported by Drawbridge; ignored",
                        "Configuration file is OK.");
    }

    @Test
    void withoutAFileItExits1() throws Exception {
        Result checked = BrokerJar.run(dir, "--test-config");

        assertThat(checked.exitCode()).isEqualTo(1);
        assertThat(checked.stderr())
                .containsExactly("Error: --test-config needs a configuration file to test (-c FILE).");
    }

    @Test
    void quietLogsNothingAndServes() throws Exception {
        int port = Ports.free();
        Path conf = write(
                "mosquitto.conf",
                "listener " + port + " 127.0.0.1\nallow_anonymous true\nlog_dest stdout\nlog_type all\n");

        try (ClientProcess quiet = BrokerJar.launch(dir, "-q", "-v", "-c", conf.toString())) {
            // Served: a message goes through (the broker is up although it says nothing).
            try (ClientProcess sub = awaitSubscribed(port)) {
                assertThat(pub(port, "-t", "quiet/t", "-m", "hello").exitCode()).isZero();
                sub.awaitLine("hello"::equals, LINE);
            }
            assertThat(BrokerJar.stop(quiet)).isZero();
            assertThat(quiet.output()).isEmpty();
        }
        // The control: the same file without -q logs its start.
        try (ClientProcess loud = BrokerJar.start(dir, "-c", conf.toString())) {
            assertThat(BrokerJar.stop(loud)).isZero();
            assertThat(loud.output()).anyMatch(BrokerJar.RUNNING);
        }
    }

    /** Subscribes as soon as the broker accepts connections (it logs nothing to wait for). */
    private static ClientProcess awaitSubscribed(int port) throws Exception {
        org.awaitility.Awaitility.await("the quiet broker to accept connections")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> pub(port, "-t", "quiet/probe", "-m", "x").exitCode() == 0);
        return subscribed(port, "-t", "quiet/t", "-C", "1");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
