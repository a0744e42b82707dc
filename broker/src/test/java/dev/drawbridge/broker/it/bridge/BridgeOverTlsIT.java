package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.awaitConnected;
import static dev.drawbridge.broker.it.bridge.BridgeSides.messages;
import static dev.drawbridge.broker.it.bridge.BridgeSides.publish;
import static dev.drawbridge.broker.it.bridge.BridgeSides.retained;
import static dev.drawbridge.broker.it.bridge.BridgeSides.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.Ports;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bridges over mutual TLS, end to end: Drawbridge bridged to a TLS listener that requires a client certificate, on the
 * real Mosquitto 2.0.11 and on Drawbridge, with certificates made at test time. Each remote also has a plain listener
 * for the test's mosquitto_pub and mosquitto_sub; the bridge's {@code address} is the TLS one. A remote certificate of
 * another CA (also with {@code bridge_insecure true}) or for another host is refused with its reason logged, and nothing
 * crosses that bridge while a bridge that trusts the remote carries. Failsafe runs this class with the default TLS provider and with the JDK's.
 */
class BridgeOverTlsIT {

    /** The remote broker the bridge connects to. */
    enum Remote {
        MOSQUITTO,
        DRAWBRIDGE
    }

    @TempDir
    Path dir;

    private TestPki pki;
    private Issued bridgeCertificate;

    @BeforeEach
    void pki() throws Exception {
        pki = TestPki.create(dir, "remote");
        bridgeCertificate = pki.client("house");
    }

    static Stream<Arguments> remotesAndVersions() {
        return Stream.of(Remote.values())
                .flatMap(remote -> Stream.of("mqttv311", "mqttv50").map(version -> Arguments.of(remote, version)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("remotesAndVersions")
    void mutualTlsCarriesQos1OutAndIn(Remote kind, String version) throws Exception {
        int tlsPort = Ports.free();
        try (AutoCloseable remote = remote(kind, "remote", tlsPort, pki.server("server"));
                Drawbridge local = DrawbridgeBroker.start(
                        dir.resolve("local"), bridge("dbtest", "localhost:" + tlsPort, pki.caFile(), version))) {
            awaitConnected(local.port(), state("dbtest"));
            int remotePort = plainPort(remote);
            assertThat(retained(remotePort, state("dbtest")))
                    .as("the bridge's state on the remote broker")
                    .containsExactly("1 1");
            try (ClientProcess atRemote = subscriber(remotePort, "cloud/house/#");
                    ClientProcess atLocal = subscriber(local.port(), "house/#")) {
                publish(local.port(), "-t", "house/sensors/t", "-m", "out-over-tls", "-q", "1");
                publish(remotePort, "-t", "cloud/house/cmd/light", "-m", "in-over-tls", "-q", "1");

                atRemote.awaitLine("1 0 cloud/house/sensors/t out-over-tls"::equals, WAIT);
                atLocal.awaitLine("1 0 house/cmd/light in-over-tls"::equals, WAIT);
            }
        }
    }

    @Test
    void aRemoteCertificateOfAnotherCaIsRefusedWithItsReasonAndNothingCrosses() throws Exception {
        int tlsPort = Ports.free();
        TestPki stranger = TestPki.create(Files.createDirectory(dir.resolve("stranger")), "stranger");
        List<String> bridges =
                new ArrayList<>(bridge("strange", "localhost:" + tlsPort, stranger.caFile(), "mqttv311"));
        // bridge_insecure leaves out the host check only: the CA is still checked.
        bridges.addAll(bridge("strange-insecure", "localhost:" + tlsPort, stranger.caFile(), "mqttv311"));
        bridges.add("bridge_insecure true");
        // The control: the same remote through a bridge that trusts its CA.
        bridges.addAll(bridge("trusted", "localhost:" + tlsPort, pki.caFile(), "mqttv311"));
        try (MosquittoBroker remote = mosquitto("remote", tlsPort, pki.server("server"));
                LogCapture log = LogCapture.of("dev.drawbridge.broker", Level.INFO);
                Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), bridges)) {
            String refused = log.awaitLine(
                    line -> line.startsWith("Bridge strange connection lost: TLS handshake failed: "), WAIT);
            String refusedInsecure = log.awaitLine(
                    line -> line.startsWith("Bridge strange-insecure connection lost: TLS handshake failed: "), WAIT);
            awaitConnected(local.port(), state("trusted"));
            try (ClientProcess atRemote = subscriber(remote.port(), "strange/#", "strange-insecure/#", "trusted/#")) {
                publish(local.port(), "-t", "house/sensors/t", "-m", "once", "-q", "1");
                atRemote.awaitLine("1 0 trusted/sensors/t once"::equals, WAIT);
                assertThat(messages(atRemote)).as("what reached Mosquitto").noneMatch(l -> l.startsWith("1 0 strange"));
            }
            assertThat(List.of(refused, refusedInsecure))
                    .as("the reason")
                    .allMatch(line -> line.toLowerCase(Locale.ROOT).contains("certification path"));
            for (String strange : List.of("strange", "strange-insecure")) {
                assertThat(retained(local.port(), state(strange)))
                        .as("the refused bridge's state")
                        .containsExactly("1 0");
                assertThat(retained(remote.port(), state(strange)))
                        .as("the refused bridge never reached the remote")
                        .isEmpty();
            }
        }
    }

    /**
     * A certificate for another host is refused (the CA is right), and {@code bridge_insecure true} lets it through
     * with one warning; once the remote presents a certificate for its host, the checking bridge connects.
     */
    @Test
    void aCertificateForAnotherHostIsRefusedUntilTheRemotePresentsItsOwn() throws Exception {
        int tlsPort = Ports.free();
        int plainPort = Ports.free();
        List<String> bridges = new ArrayList<>(bridge("checked", "localhost:" + tlsPort, pki.caFile(), "mqttv50"));
        List<String> insecure = new ArrayList<>(bridge("unchecked", "localhost:" + tlsPort, pki.caFile(), "mqttv50"));
        insecure.add("bridge_insecure true");
        bridges.addAll(insecure);
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker", Level.INFO);
                Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), bridges)) {
            try (MosquittoBroker remote =
                    mosquitto("other-host", plainPort, tlsPort, pki.serverFor("other", "other.example"))) {
                String refused = log.awaitLine(
                        line -> line.startsWith("Bridge checked connection lost: TLS handshake failed: "), WAIT);
                awaitConnected(local.port(), state("unchecked"));
                try (ClientProcess atRemote = subscriber(remote.port(), "checked/#", "unchecked/#")) {
                    publish(local.port(), "-t", "house/sensors/t", "-m", "wrong-host", "-q", "1");
                    atRemote.awaitLine("1 0 unchecked/sensors/t wrong-host"::equals, WAIT);
                    assertThat(messages(atRemote)).noneMatch(l -> l.startsWith("1 0 checked/"));
                }
                assertThat(refused).as("the reason").contains("localhost");
            }
            assertThat(log.messages().stream().filter(m -> m.contains("bridge_insecure true")))
                    .as("one warning for bridge_insecure")
                    .hasSize(1);

            try (MosquittoBroker remote = mosquitto("right-host", plainPort, tlsPort, pki.server("server"));
                    ClientProcess atRemote = subscriber(remote.port(), "checked/#")) {
                awaitConnected(local.port(), state("checked"));
                publish(local.port(), "-t", "house/sensors/t", "-m", "right-host", "-q", "1");
                atRemote.awaitLine("1 0 checked/sensors/t right-host"::equals, WAIT);
            }
        }
    }

    /** A failed handshake is a failed attempt like a refused connection: the bridge fails over to the next address. */
    @Test
    void aFailedHandshakeFailsOverToTheNextAddress() throws Exception {
        int wrongPort = Ports.free();
        int rightPort = Ports.free();
        List<String> lines = new ArrayList<>(
                bridge("dbtest", "localhost:" + wrongPort + " localhost:" + rightPort, pki.caFile(), "mqttv311"));
        // Without round_robin the bridge would go back to the first address whenever its socket answers.
        lines.add("round_robin true");
        try (MosquittoBroker wrong = mosquitto("wrong", wrongPort, pki.serverFor("other", "other.example"));
                MosquittoBroker right = mosquitto("right", rightPort, pki.server("server"));
                LogCapture log = LogCapture.of("dev.drawbridge.broker", Level.INFO);
                Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), lines)) {
            awaitConnected(local.port(), state("dbtest"));
            try (ClientProcess atWrong = subscriber(wrong.port(), "cloud/house/#");
                    ClientProcess atRight = subscriber(right.port(), "cloud/house/#")) {
                publish(local.port(), "-t", "house/sensors/t", "-m", "failed-over", "-q", "1");
                atRight.awaitLine("1 0 cloud/house/sensors/t failed-over"::equals, WAIT);
                assertThat(messages(atWrong))
                        .as("what reached the first address")
                        .isEmpty();
            }
            assertThat(log.messages())
                    .as("the first address's refusal, logged")
                    .anyMatch(m -> m.startsWith("Bridge dbtest connection lost: TLS handshake failed: ")
                            && m.contains("localhost"));
        }
    }

    // ---- the two sides ----

    private static String state(String bridge) {
        return "$SYS/broker/connection/" + bridge + "/state";
    }

    /**
     * A TLS bridge with the test's client certificate: {@code house/sensors/#} out and {@code house/cmd/#} in, below
     * {@code cloud/house/} on the remote for {@code dbtest}, else below {@code NAME/}.
     */
    private List<String> bridge(String name, String address, Path cafile, String version) {
        String remotePrefix = name.equals("dbtest") ? "cloud/house/" : name + "/";
        return List.of(
                "connection " + name,
                "address " + address,
                "remote_clientid " + name,
                "bridge_protocol_version " + version,
                "restart_timeout 1",
                "bridge_cafile " + cafile,
                "bridge_certfile " + bridgeCertificate.cert(),
                "bridge_keyfile " + bridgeCertificate.key(),
                "topic sensors/# out 1 house/ " + remotePrefix,
                "topic cmd/# in 1 house/ " + remotePrefix);
    }

    /** The TLS listener's lines: a client certificate of the test CA required. */
    private List<String> tlsListener(int tlsPort, Issued server) {
        return List.of(
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.caFile(),
                "certfile " + server.cert(),
                "keyfile " + server.key(),
                "require_certificate true");
    }

    private AutoCloseable remote(Remote kind, String name, int tlsPort, Issued server) throws Exception {
        if (kind == Remote.MOSQUITTO) {
            return mosquitto(name, tlsPort, server);
        }
        return DrawbridgeBroker.start(Files.createDirectories(dir.resolve(name)), tlsListener(tlsPort, server));
    }

    private static int plainPort(AutoCloseable remote) {
        return remote instanceof MosquittoBroker mosquitto ? mosquitto.port() : ((Drawbridge) remote).port();
    }

    private MosquittoBroker mosquitto(String name, int tlsPort, Issued server) throws Exception {
        return MosquittoBroker.start(Files.createDirectories(dir.resolve(name)), mosquittoTls(tlsPort, server));
    }

    private MosquittoBroker mosquitto(String name, int plainPort, int tlsPort, Issued server) throws Exception {
        return MosquittoBroker.start(
                Files.createDirectories(dir.resolve(name)), plainPort, mosquittoTls(tlsPort, server));
    }

    private List<String> mosquittoTls(int tlsPort, Issued server) {
        List<String> lines = new ArrayList<>(tlsListener(tlsPort, server));
        // Started as root, Mosquitto would drop to its own user before reading the owner-only test files.
        lines.add("user root");
        return lines;
    }
}
