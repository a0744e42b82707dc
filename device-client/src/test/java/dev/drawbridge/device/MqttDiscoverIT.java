package dev.drawbridge.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.device.config.ConfigLoader;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.door.DoorState;
import dev.drawbridge.device.door.SimulatedDoor;
import dev.drawbridge.device.mdns.BrokerLocator;
import dev.drawbridge.device.mdns.JmdnsLookup;
import dev.drawbridge.device.mqtt.TlsMaterial;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mqtt.discover} and {@code .local} names by real multicast DNS, kept on the loopback interface: a JmDNS
 * responder on 127.0.0.1 stands in for the broker's {@code mdns true} and the device looks from 127.0.0.1. The broker
 * is {@link TestBroker}'s; its certificate names localhost, so the device checks it by SHA-256 pin here.
 */
class MqttDiscoverIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    static Path dir;

    private static TestPki pki;

    /** Unique per run, so that concurrent runs on this machine never answer for each other. */
    private final String host = "drawbridge-pi-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

    private TestBroker broker;
    private JmDNS responder;
    private ScheduledExecutorService timer;
    private Device device;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(pki);
        responder = JmDNS.create(LOOPBACK, host);
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        if (device != null) {
            device.close();
        }
        timer.shutdownNow();
        responder.unregisterAllServices();
        responder.close();
        broker.close();
    }

    @Test
    void discoversTheBrokerAndConnects() throws Exception {
        responder.registerService(
                ServiceInfo.create(BrokerLocator.SECURE_MQTT, "Drawbridge on " + host, broker.tlsPort(), ""));
        Path file = write("  discover: true\n  discover-timeout: 20s\n");
        DeviceConfig config = ConfigLoader.load(file);

        InetSocketAddress server = onLoopback().locate(config.mqtt());

        assertThat(server.getHostString()).isEqualTo(host + ".local");
        assertThat(server.getAddress()).isEqualTo(LOOPBACK);
        assertThat(server.getPort()).isEqualTo(broker.tlsPort());
        device = Device.start(
                config,
                server,
                TlsMaterial.load(config, file),
                new SimulatedDoor(Clock.systemUTC(), Duration.ofSeconds(1), DoorState.CLOSED).hardware(true),
                timer,
                Clock.systemUTC());
        await().atMost(Duration.ofSeconds(15)).until(device::isConnected);
    }

    @Test
    void resolvesALocalNameTheSystemResolverDoesNotKnow() throws Exception {
        Path file = write("  host: " + host + ".local\n  port: " + broker.tlsPort() + "\n  discover-timeout: 20s\n");
        DeviceConfig config = ConfigLoader.load(file);

        InetSocketAddress server = onLoopback().locate(config.mqtt());

        assertThat(server.getAddress()).isEqualTo(LOOPBACK);
        assertThat(server.getHostString()).isEqualTo(host + ".local");
        device = Device.start(
                config,
                server,
                TlsMaterial.load(config, file),
                new SimulatedDoor(Clock.systemUTC(), Duration.ofSeconds(1), DoorState.CLOSED).hardware(true),
                timer,
                Clock.systemUTC());
        await().atMost(Duration.ofSeconds(15)).until(device::isConnected);
    }

    /**
     * mDNS from 127.0.0.1; the system resolver is the edge replaced: asked for a name under {@code .local} it would
     * send a DNS query off this machine, or answer through nss-mdns on a LAN interface.
     */
    private static BrokerLocator onLoopback() {
        return new BrokerLocator(
                name -> {
                    throw new UnknownHostException(name);
                },
                () -> JmdnsLookup.open(LOOPBACK));
    }

    private static Path write(String mqtt) throws Exception {
        Path file = Files.createTempFile(dir, "device", ".yml");
        Files.writeString(
                file,
                "mqtt:\n" + mqtt
                        + "  reconnect-initial: 200ms\n"
                        + "  reconnect-max: 2s\n"
                        + "tls:\n"
                        + "  certificate: device.crt\n"
                        + "  key: device.key\n"
                        + "  fingerprint-sha256: \""
                        + Fingerprints.of(pki.server, FingerprintAlgorithm.SHA256, FingerprintFormat.HEX) + "\"\n"
                        + "door:\n"
                        + "  node-id: garage\n"
                        + "  travel-time: 1s\n"
                        + "commands:\n"
                        + "  settle: 0ms\n");
        return file;
    }
}
