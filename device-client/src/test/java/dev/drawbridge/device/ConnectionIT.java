package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS checks, reconnecting and the will, against the real broker ({@link TestBroker}). */
class ConnectionIT {

    @TempDir
    static Path dir;

    private static TestPki pki;

    private TestBroker broker;
    private MosquittoClients clients;
    private DeviceFixture fixture;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBroker.start(pki);
        clients = MosquittoClients.plain(broker.plainPort());
        fixture = new DeviceFixture(pki, broker.tlsPort());
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
        broker.close();
    }

    private static String pin(String option, FingerprintAlgorithm algorithm, FingerprintFormat format) {
        return "  " + option + ": \"" + Fingerprints.of(pki.server, algorithm, format) + "\"\n";
    }

    @Test
    void aWrongFingerprintRefusesToConnect() throws Exception {
        String wrong = "  fingerprint-sha256: \""
                + Fingerprints.of(pki.ca.certificate(), FingerprintAlgorithm.SHA256, FingerprintFormat.COLON) + "\"\n";
        try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10)).until(availability::subscribed);

            Device device = fixture.start(wrong, DeviceFixture.FAST);

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !device.isConnected());
            assertThat(availability.payloads(AVAILABILITY)).isEmpty();
        }
    }

    @Test
    void aCorrectSha256PinWithTheCaConnects() throws Exception {
        Device device = fixture.start(
                DeviceFixture.BY_CA + pin("fingerprint-sha256", FingerprintAlgorithm.SHA256, FingerprintFormat.HEX),
                DeviceFixture.FAST);

        await().atMost(Duration.ofSeconds(10)).until(device::isConnected);
    }

    @Test
    void aSha1PinAloneConnectsAsAnEsp8266SketchDid() throws Exception {
        Device device = fixture.start(
                pin("fingerprint-sha1", FingerprintAlgorithm.SHA1, FingerprintFormat.ESP8266), DeviceFixture.FAST);

        await().atMost(Duration.ofSeconds(10)).until(device::isConnected);
    }

    @Test
    void afterTheBrokerIsStoppedAndStartedTheDeviceReconnectsAndReportsOnline() throws Exception {
        Device device = fixture.start(DeviceFixture.BY_CA, DeviceFixture.FAST);
        await().atMost(Duration.ofSeconds(10)).until(device::isConnected);

        broker.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected());
        broker.startProcess();

        await().atMost(Duration.ofSeconds(15)).until(device::isConnected);
        // The broker keeps nothing across the restart, so an online must be new. Connected is not yet online (that
        // follows the SUBACK), and a subscriber that comes first sees it live, with RETAIN 0: wait for it, then
        // check that it was retained with a second subscription.
        try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.payloads(AVAILABILITY).contains("online"));
        }
        try (MosquittoClients.Subscription retained = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(retained.messages())
                            .as("broker log:%n%s", broker.log())
                            .contains("1|" + AVAILABILITY + "|online"));
        }
    }

    @Test
    void killingTheDeviceMakesTheBrokerPublishOffline() throws Exception {
        Path config = fixture.write(fixture.yaml(DeviceFixture.BY_CA, DeviceFixture.FAST));
        String jar = System.getProperty("drawbridge.device.jar", "target/drawbridge-device.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10)).until(availability::subscribed);
            Process device = new ProcessBuilder(List.of(java.toString(), "-jar", jar, "-c", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(pki.file("device-process.log").toFile())
                    .start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> availability.payloads(AVAILABILITY).contains("online"));

                device.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> availability.payloads(AVAILABILITY).contains("offline"));
            } finally {
                device.destroyForcibly();
            }
        }
        try (MosquittoClients.Subscription retained = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> retained.messages().contains("1|" + AVAILABILITY + "|offline"));
        }
    }
}
