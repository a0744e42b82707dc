package dev.drawbridge.broker.it;

import static dev.drawbridge.broker.testing.MosquittoClients.pubTls;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.cli.QuickstartCommand;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.keystores.TrustMaterial;
import dev.drawbridge.keystores.cli.PkiCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The files {@code pki quickstart} writes, used unchanged by the real Mosquitto 2.0 and by Drawbridge: a device with
 * its certificate publishes over TLS, only to its own topics, until it is revoked. The broker's configuration is a
 * copy of the generated one with only the two ports changed (free ports, so tests never collide) and {@code user root}
 * added: Mosquitto started as root switches to the {@code mosquitto} user, which cannot read the owner-only key,
 * password and ACL files quickstart wrote as root. Drawbridge never changes user; it accepts {@code user} with a
 * warning and ignores it.
 */
class QuickstartIT {

    enum Broker {
        MOSQUITTO,
        DRAWBRIDGE
    }

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CONSOLE_BLOCK = "# --- Drawbridge console";

    @TempDir
    Path dir;

    private final Map<String, String> passwords = new HashMap<>();
    private final List<ClientProcess> clients = new ArrayList<>();
    private ClientProcess mosquitto;
    private Drawbridge drawbridge;
    private int tlsPort;
    private int localPort;
    private int consolePort;

    @BeforeEach
    void quickstart() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = pki(
                out,
                err,
                "quickstart",
                dir.toString(),
                "--server",
                "mqtt.local",
                "--device",
                "garage",
                "--device",
                "gate");
        assertThat(code).as(err.toString()).isZero();
        String user = null;
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("User ") || line.startsWith("Device ")) {
                user = line.split(" ")[1];
            } else if (line.startsWith("  password ") && user != null) {
                passwords.put(user, line.substring("  password ".length()).strip());
            }
        }
        assertThat(passwords).containsOnlyKeys("admin", "garage", "gate");
    }

    @AfterEach
    void stop() {
        clients.forEach(ClientProcess::close);
        stopBroker();
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void aDeviceCertificatePublishesOverTlsAndTheMessageIsReceived(Broker broker) throws Exception {
        start(broker, false);
        ClientProcess admin = adminWatching("drawbridge/garage/#");

        Result published = publishAs("garage", "drawbridge/garage/state", "closed");

        assertThat(published.exitCode()).as("%s", published).isZero();
        admin.awaitLine("drawbridge/garage/state closed"::equals, WAIT);
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void aDeviceMayNotPublishToAnotherDevicesTopic(Broker broker) throws Exception {
        start(broker, false);
        ClientProcess admin = adminWatching("#");

        publishAs(
                "garage", "drawbridge/gate/cmd", "OPEN"); // refused; how (exit code) differs, what matters is delivery
        Result sentinel = publishAs("garage", "drawbridge/garage/state", "sentinel");

        assertThat(sentinel.exitCode()).as("%s", sentinel).isZero();
        admin.awaitLine("drawbridge/garage/state sentinel"::equals, WAIT);
        assertThat(admin.stdout()).noneMatch(line -> line.startsWith("drawbridge/gate/"));
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void aRevokedDeviceIsRefusedOnceTheCrlfileLineIsEnabled(Broker broker) throws Exception {
        start(broker, false);
        assertThat(publishAs("garage", "drawbridge/garage/state", "before").exitCode())
                .isZero();

        StringWriter err = new StringWriter();
        int revoked = pki(
                new StringWriter(),
                err,
                "revoke",
                "garage",
                "--dir",
                dir.resolve("ca").toString());
        assertThat(revoked).as(err.toString()).isZero();
        stopBroker();
        start(broker, true);
        ClientProcess admin = adminWatching("#");

        Result refused = publishAs("garage", "drawbridge/garage/state", "after");
        Result sentinel = publishAs("gate", "drawbridge/gate/state", "sentinel");

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(sentinel.exitCode()).as("%s", sentinel).isZero();
        admin.awaitLine("drawbridge/gate/state sentinel"::equals, WAIT);
        assertThat(admin.stdout()).noneMatch(line -> line.startsWith("drawbridge/garage/"));
        if (broker == Broker.DRAWBRIDGE) {
            // Once crlfile is configured, a reload (SIGHUP) is enough, as the generated comment says.
            assertThat(pki(
                            new StringWriter(),
                            err,
                            "revoke",
                            "gate",
                            "--dir",
                            dir.resolve("ca").toString()))
                    .as(err.toString())
                    .isZero();
            drawbridge.reload();
            assertThat(publishAs("gate", "drawbridge/gate/state", "after").exitCode())
                    .isNotZero();
        }
    }

    @org.junit.jupiter.api.Test
    void drawbridgeServesTheConsoleOverHttpsToAdminWithTheDevicesOfTheCa() throws Exception {
        start(Broker.DRAWBRIDGE, false);
        HttpClient browser = HttpClient.newBuilder()
                .sslContext(trusting(dir.resolve("ca/ca.crt")))
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(WAIT)
                .build();
        String base = "https://127.0.0.1:" + consolePort;

        HttpResponse<String> before = browser.send(get(base + "/devices"), HttpResponse.BodyHandlers.ofString());
        assertThat(before.statusCode()).as("no page before login").isEqualTo(303);
        String login = browser.send(get(base + "/login"), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(login);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> in = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
                                + URLEncoder.encode(passwords.get("admin"), StandardCharsets.UTF_8) + "&csrf="
                                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as("admin's printed password logs in").isEqualTo(303);
        assertThat(in.headers().firstValue("location")).contains("/");

        HttpResponse<String> devices = browser.send(get(base + "/devices"), HttpResponse.BodyHandlers.ofString());
        assertThat(devices.statusCode()).isEqualTo(200);
        for (String name : List.of("ca", "mqtt.local", "garage", "gate")) {
            assertThat(devices.body()).contains("data-name=\"" + name + "\"");
        }
        assertThat(devices.body())
                .as("the generated crlfile line is commented out, and the page says so")
                .contains("id=\"crl-missing\"");
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).GET().build();
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null, TrustMaterial.load(caFile, null).trustManagerFactory().getTrustManagers(), null);
        return context;
    }

    private static int pki(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new PkiCommand()).addSubcommand(new QuickstartCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /**
     * Copies the generated mosquitto.conf with free ports and {@code user root}; optionally enables crlfile. Mosquitto
     * 2.0 is given the file up to the console's block, as its first line says; Drawbridge the whole file.
     */
    private Path rewrittenConfig(Broker broker, boolean crl) throws IOException {
        tlsPort = freePort();
        localPort = freePort();
        consolePort = freePort();
        String conf = Files.readString(dir.resolve("mosquitto.conf"))
                .replace("\nlistener 8883\n", "\nlistener " + tlsPort + "\n")
                .replace("\nlistener 1883 127.0.0.1\n", "\nlistener " + localPort + " 127.0.0.1\n")
                .replace("\nlistener 8443 127.0.0.1\n", "\nlistener " + consolePort + " 127.0.0.1\n");
        assertThat(conf).contains("\nlistener " + consolePort + " 127.0.0.1\nprotocol http_api\n");
        if (broker == Broker.MOSQUITTO) {
            int console = conf.indexOf("\n" + CONSOLE_BLOCK);
            assertThat(console).as("the console's block").isPositive();
            assertThat(conf.substring(console)).contains("delete from this line to the end");
            conf = conf.substring(0, console + 1);
        }
        if (crl) {
            conf = conf.replace("\n#crlfile ", "\ncrlfile ");
        }
        assertThat(conf).contains("listener " + tlsPort + "\n", "listener " + localPort + " 127.0.0.1\n");
        return Files.writeString(dir.resolve("test.conf"), "user root\n" + conf);
    }

    private void start(Broker broker, boolean crl) throws Exception {
        Path conf = rewrittenConfig(broker, crl);
        if (broker == Broker.DRAWBRIDGE) {
            drawbridge = Drawbridge.start(conf);
            return;
        }
        ClientProcess process = ClientProcess.start(List.of("/usr/sbin/mosquitto", "-c", conf.toString()));
        mosquitto = process;
        Awaitility.await("mosquitto listening on " + tlsPort + " and " + localPort)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("mosquitto exited: %s", process.stderr())
                            .isTrue();
                    return accepts(tlsPort) && accepts(localPort);
                });
    }

    private void stopBroker() {
        if (drawbridge != null) {
            drawbridge.close();
            drawbridge = null;
        }
        if (mosquitto != null) {
            mosquitto.close();
            mosquitto = null;
        }
    }

    /** {@code admin} with its password on the local listener, subscribed (SUBACK seen) to {@code filter}. */
    private ClientProcess adminWatching(String filter) throws IOException {
        ClientProcess admin =
                subscribed(localPort, "-u", "admin", "-P", passwords.get("admin"), "-q", "1", "-t", filter, "-v");
        clients.add(admin);
        return admin;
    }

    /** {@code mosquitto_pub} over TLS with the device's certificate and key, as the quickstart prints it. */
    private Result publishAs(String device, String topic, String message) throws Exception {
        return pubTls(tlsPort, dir.resolve("ca"), device, topic, message);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
