package dev.drawbridge.broker.it.process;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar drawbridge.jar} as a user runs it: Mosquitto's command line, exit statuses, signals, pid file and
 * {@code FILE:LINE: reason} for every bad configuration. Each broker runs in the test's temporary directory, which
 * is also where relative paths in its config resolve.
 */
class BrokerJarIT {

    private static final Duration LINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<ClientProcess> brokers = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        brokers.forEach(ClientProcess::close);
    }

    private ClientProcess start(String... args) throws IOException {
        ClientProcess broker = BrokerJar.start(dir, args);
        brokers.add(broker);
        return broker;
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A QoS 1 message from a publisher on {@code pubPort} reaches a subscriber on {@code subPort}. */
    private static void assertRoundTrip(int pubPort, int subPort, String topic) throws Exception {
        try (ClientProcess sub = subscribed(subPort, "-t", topic, "-q", "1", "-C", "1")) {
            Result pub = pub(pubPort, "-t", topic, "-q", "1", "-m", "via " + pubPort);
            assertThat(pub.exitCode()).as("mosquitto_pub: %s", pub.stderr()).isZero();
            sub.awaitLine(("via " + pubPort)::equals, LINE);
            assertThat(sub.waitFor(LINE)).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Good starts

    @Test
    void withNoConfigItIsLocalOnlyOnThePortGivenAndStopsWithStatus0OnSigterm() throws Exception {
        int port = Ports.free();

        ClientProcess broker = start("-p", Integer.toString(port));

        broker.awaitLine(line -> line.contains("Starting in local only mode"), LINE);
        broker.awaitLine(line -> line.endsWith("listen socket on 127.0.0.1 port " + port + "."), LINE);
        assertRoundTrip(port, port, "jar/local");
        broker.terminate(); // Process.destroy(): SIGTERM
        assertThat(broker.waitFor(Duration.ofSeconds(20))).isZero();
    }

    @Test
    void sigtermStopsCleanlyAndSaysSo() throws Exception {
        int port = Ports.free();
        ClientProcess broker = start("-p", Integer.toString(port));
        assertThat(pub(port, "-t", "jar/term", "-m", "up").exitCode()).isZero();

        assertThat(BrokerJar.stop(broker)).isZero();

        assertThat(broker.output()).anyMatch(line -> line.matches(".*drawbridge version \\S+ terminating"));
        // The port is free again at once.
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aMessagePublishedOnOneListenerReachesASubscriberOnAnother() throws Exception {
        int p1 = Ports.free();
        int p2 = Ports.free();
        Path conf = write(
                "mosquitto.conf",
                "listener " + p1 + " 127.0.0.1\nlistener " + p2 + " 127.0.0.1\nallow_anonymous true\n");

        ClientProcess broker = start("-c", conf.toString());

        assertThat(broker.output()).noneMatch(line -> line.contains("local only mode"));
        assertRoundTrip(p1, p2, "jar/across");
        assertRoundTrip(p2, p1, "jar/back");
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    @Test
    void includeDirFilesAreReadInSortedOrderAndTakeEffect() throws Exception {
        int main = Ports.free();
        int included = Ports.free();
        write("conf.d/10-first.conf", "listener " + included + " 127.0.0.1\nmax_keepalive 100\n");
        write("conf.d/20-second.conf", "# read after 10-first.conf, so its value wins\nmax_keepalive 300\n");
        write("conf.d/30-off.conf.disabled", "this is not read\n");
        write("mosquitto.conf", "listener " + main + " 127.0.0.1\nallow_anonymous true\ninclude_dir conf.d\n");

        ClientProcess broker = start("-c", "mosquitto.conf");

        broker.awaitLine(line -> line.endsWith("listen socket on 127.0.0.1 port " + included + "."), LINE);
        assertRoundTrip(main, included, "jar/included");
        // max_keepalive 300 (the later file): 200 s is accepted, 400 s is refused.
        assertThat(pub(included, "-k", "200", "-t", "k", "-m", "200").exitCode())
                .isZero();
        Result tooLong = pub(included, "-k", "400", "-t", "k", "-m", "400");
        assertThat(tooLong.exitCode()).isNotZero();
        assertThat(String.join("\n", tooLong.stderr())).containsIgnoringCase("identifier rejected");
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    @Test
    void pidFileHoldsThePidWhileRunningAndIsRemovedOnSigterm() throws Exception {
        int port = Ports.free();
        Path pidFile = dir.resolve("run/drawbridge.pid");
        Files.createDirectories(pidFile.getParent());
        write("mosquitto.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\npid_file " + pidFile + "\n");

        ClientProcess broker = start("-c", "mosquitto.conf");

        assertThat(pub(port, "-t", "jar/pid", "-m", "up").exitCode()).isZero();
        assertThat(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()).isEqualTo(Long.toString(broker.pid()));
        assertThat(BrokerJar.stop(broker)).isZero();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void sighupReloadsAndTheBrokerKeepsServing() throws Exception {
        int port = Ports.free();
        ClientProcess broker = start("-p", Integer.toString(port));
        assertRoundTrip(port, port, "jar/before-hup");

        BrokerJar.signal(broker, "HUP");

        broker.awaitLine(line -> line.toLowerCase(java.util.Locale.ROOT).contains("reload"), LINE);
        assertThat(broker.isAlive()).isTrue();
        assertRoundTrip(port, port, "jar/after-hup");
        BrokerJar.signal(broker, "HUP");
        assertRoundTrip(port, port, "jar/after-second-hup");
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    @Test
    void sigintAlsoStopsWithStatus0() throws Exception {
        int port = Ports.free();
        ClientProcess broker = start("-p", Integer.toString(port));
        assertThat(pub(port, "-t", "jar/int", "-m", "up").exitCode()).isZero();

        BrokerJar.signal(broker, "INT");

        assertThat(broker.waitFor(Duration.ofSeconds(20))).isZero();
    }

    @Test
    void verboseLogsPacketDetailThatTheDefaultLeavesOut() throws Exception {
        List<String> quiet = runOneClient();
        List<String> verbose = runOneClient("-v");

        assertThat(quiet).noneMatch(line -> line.contains("CONNECT"));
        assertThat(verbose).anyMatch(line -> line.contains("CONNECT"));
        assertThat(verbose.size()).isGreaterThan(quiet.size());
    }

    /** Starts a broker, connects one client, stops it; returns everything it logged. */
    private List<String> runOneClient(String... extra) throws Exception {
        int port = Ports.free();
        List<String> args = new ArrayList<>(List.of("-p", Integer.toString(port)));
        args.addAll(Arrays.asList(extra));
        ClientProcess broker = start(args.toArray(String[]::new));
        assertThat(pub(port, "-i", "chatty", "-t", "jar/v", "-q", "1", "-m", "x")
                        .exitCode())
                .isZero();
        broker.awaitLine(line -> line.endsWith("Client chatty disconnected."), LINE);
        assertThat(BrokerJar.stop(broker)).isZero();
        return broker.output();
    }

    // ---------------------------------------------------------------------------------------------------------
    // --help and --version

    @Test
    void versionPrintsTheVersionAndExits0() throws Exception {
        Result result = BrokerJar.run(dir, "--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).singleElement().asString().matches("drawbridge version \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsTheOptionsAndExits0() throws Exception {
        Result result = BrokerJar.run(dir, "--help");

        assertThat(result.exitCode()).isZero();
        String help = String.join("\n", result.stdout());
        assertThat(help).contains("Usage: drawbridge", "-c", "--config-file", "-p", "--port", "-v", "--verbose");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void anUnknownCommandLineOptionExits1() throws Exception {
        Result result = BrokerJar.run(dir, "--no-such-option");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", result.stderr())).contains("--no-such-option");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refusals

    @Test
    void aPortInUseExits1AndSaysItCannotBeBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            write("mosquitto.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");

            Result result = BrokerJar.run(dir, "-c", "mosquitto.conf");

            assertThat(result.exitCode()).isEqualTo(1);
            String err = String.join("\n", result.stderr());
            assertThat(err).contains("127.0.0.1:" + port).contains("cannot bind");
            assertThat(result.stdout()).noneMatch(BrokerJar.RUNNING);
            assertThat(result.stderr()).noneMatch(BrokerJar.RUNNING);
        }
    }

    @Test
    void aPortInUseOnTheSecondListenerAlsoStopsTheFirst() throws Exception {
        int free = Ports.free();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            write(
                    "mosquitto.conf",
                    "listener " + free + " 127.0.0.1\nlistener " + port + " 127.0.0.1\nallow_anonymous true\n");

            Result result = BrokerJar.run(dir, "-c", "mosquitto.conf");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(String.join("\n", result.stderr()))
                    .contains("127.0.0.1:" + port)
                    .contains("cannot bind");
        }
        // Nothing is left listening on the first port: it can be bound again.
        try (ServerSocket again = new ServerSocket(free, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(free);
        }
    }

    /**
     * Files every bad config may refer to, relative to the working directory: PEM files for a TLS listener, a
     * directory of included files with a mistake on line 2 of the second, and one that nests {@code include_dir}.
     */
    private void writeFixtures() throws IOException {
        write("server.pem", "not checked until TLS starts\n");
        write("server.key", "not checked until TLS starts\n");
        write("plugin.jar", "x\n");
        write("conf.d/10-first.conf", "max_keepalive 60\n");
        write("conf.d/20-second.conf", "# second file\nmax_keepalive abc\n");
        write("nested.d/a.conf", "include_dir conf.d\n");
        Files.createDirectories(dir.resolve("data"));
    }

    private static Arguments bad(String description, String conf, String... problems) {
        return Arguments.of(description, conf, List.of(problems));
    }

    private static final String TLS = "listener 8883\ncertfile server.pem\nkeyfile server.key\n";

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("unknown option", "xyz 1", "bad.conf:1: unknown option 'xyz'"),
                bad(
                        "option names are case-sensitive",
                        "# comment\nListener 1883",
                        "bad.conf:2: unknown option 'Listener'"),
                bad(
                        "bad integer",
                        "listener 1883\nmax_keepalive abc",
                        "bad.conf:2: max_keepalive: expected an integer 0-65535, found 'abc'"),
                bad(
                        "integer out of range, not clamped",
                        "max_keepalive 65536",
                        "bad.conf:1: max_keepalive: expected an integer 0-65535, found '65536'"),
                bad(
                        "bad boolean",
                        "listener 1883\nallow_anonymous yes",
                        "bad.conf:2: allow_anonymous: expected true or false, found 'yes'"),
                bad(
                        "listener port too large",
                        "listener 70000",
                        "bad.conf:1: listener: expected a port 0-65535, found '70000'"),
                bad(
                        "duplicate listener",
                        "listener 1883\nallow_anonymous true\nlistener 1883",
                        "bad.conf:3: listener 1883: port 1883 on every address is already used by listener 1883 at "
                                + "bad.conf:1"),
                bad(
                        "unknown protocol",
                        "listener 1883\nprotocol mqtts",
                        "bad.conf:2: protocol: expected mqtt, websockets or http_api, found 'mqtts'"),
                bad(
                        "missing password_file",
                        "listener 1883\npassword_file nope.passwd",
                        "bad.conf:2: password_file: cannot read 'nope.passwd': no such file or directory"),
                bad(
                        "acl_file is a directory",
                        "listener 1883\nacl_file data",
                        "bad.conf:2: acl_file: cannot read 'data': is a directory"),
                bad(
                        "bridge with a bad address and no topic",
                        "connection upstream\naddress 10.0.0.1:0",
                        "bad.conf:2: address: expected HOST[:PORT] with a port 1-65535 (an IPv6 address needs the"
                                + " port), found '10.0.0.1:0'",
                        "bad.conf:1: connection upstream: no topic; expected at least one 'topic PATTERN ...' line"),
                bad(
                        "bridge_ option Drawbridge does not read refused",
                        "connection upstream\naddress 10.0.0.1\ntopic #\nbridge_psk 0123abcd",
                        "bad.conf:4: bridge_psk: not supported by Drawbridge, and ignoring it would"
                                + " lose messages; remove it"),
                bad(
                        "psk refused",
                        "listener 8883\npsk_hint home",
                        "bad.conf:2: psk_hint: TLS-PSK is not supported by Drawbridge (neither Java's TLS nor Netty's OpenSSL"
                                + " offers pre-shared keys), and ignoring it would weaken security; remove it and give"
                                + " clients certificates (cafile, certfile, keyfile, require_certificate)"),
                bad(
                        "tls_version below TLS 1.0",
                        TLS + "tls_version sslv3",
                        "bad.conf:4: tls_version: expected tlsv1.2, tlsv1.3, tlsv1.1 or tlsv1, found 'sslv3'"),
                bad(
                        "certfile without keyfile",
                        "listener 8883\ncertfile server.pem",
                        "bad.conf:1: listener 8883: certfile given without keyfile; a TLS listener needs both"),
                bad(
                        "plugin_opt without plugin",
                        "listener 1883\nplugin_opt_db users",
                        "bad.conf:2: plugin_opt_db: must follow a plugin line"),
                bad(
                        "plugin_opt given twice",
                        "plugin plugin.jar\nplugin_opt_db a\nplugin_opt_db b",
                        "bad.conf:3: plugin_opt_db: given twice for plugin 'plugin.jar'"),
                bad(
                        "queue_qos0_messages true refused",
                        "queue_qos0_messages true",
                        "bad.conf:1: queue_qos0_messages: not supported by Drawbridge, and ignoring it would lose"
                                + " messages; remove it"),
                bad(
                        "log_dest unknown",
                        "log_dest syslog2",
                        "bad.conf:1: log_dest: expected stdout, stderr, file PATH, none, syslog, topic or dlt, found"
                                + " 'syslog2'"),
                bad(
                        "missing persistence_location",
                        "persistence true\npersistence_location nodir",
                        "bad.conf:2: persistence_location: cannot read 'nodir': no such directory"),
                bad(
                        "missing include_dir",
                        "include_dir nope.d",
                        "bad.conf:1: include_dir: cannot read 'nope.d': no such directory"),
                bad(
                        "an error inside an included file names that file",
                        "listener 1883\ninclude_dir conf.d",
                        "conf.d/20-second.conf:2: max_keepalive: expected an integer 0-65535, found 'abc'"),
                bad(
                        "include_dir inside an included file",
                        "include_dir nested.d",
                        "nested.d/a.conf:1: include_dir: only allowed in the main config file"),
                bad(
                        "every problem at once, in file order",
                        "max_keepalive abc\n# fine\nlistener 1883\nretain_available 1\nfoo bar",
                        "bad.conf:1: max_keepalive: expected an integer 0-65535, found 'abc'",
                        "bad.conf:4: retain_available: expected true or false, found '1'",
                        "bad.conf:5: unknown option 'foo'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void aBadConfigExits1WithFileLineAndReasonOnStderr(String description, String conf, List<String> problems)
            throws Exception {
        writeFixtures();
        write("bad.conf", conf + "\n");

        Result result = BrokerJar.run(dir, "-c", "bad.conf");

        assertThat(result.exitCode())
                .as("exit status; stderr: %s", result.stderr())
                .isEqualTo(1);
        assertThat(result.stderr())
                .as(description)
                .contains("Error: found " + problems.size() + " problem(s) in the configuration:")
                .containsSubsequence(problems);
        assertThat(result.stderr()).noneMatch(BrokerJar.RUNNING);
        assertThat(result.stdout()).noneMatch(BrokerJar.RUNNING);
    }

    @Test
    void aMissingConfigFileExits1NamingIt() throws Exception {
        Result result = BrokerJar.run(dir, "-c", "absent.conf");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("absent.conf: cannot read: no such file or directory");
    }

    @Test
    void theConfigFileIsNamedAsGivenOnTheCommandLine() throws Exception {
        Path conf = write("sub/dir/broker.conf", "listener 1883\nmax_keepalive -1\n");

        Result relative = BrokerJar.run(dir, "-c", "sub/dir/broker.conf");
        Result absolute = BrokerJar.run(dir, "-c", conf.toString());

        String reason = ":2: max_keepalive: expected an integer 0-65535, found '-1'";
        assertThat(relative.stderr()).contains("sub/dir/broker.conf" + reason);
        assertThat(absolute.stderr()).contains(conf + reason);
        assertThat(relative.exitCode()).isEqualTo(1);
        assertThat(absolute.exitCode()).isEqualTo(1);
    }
}
