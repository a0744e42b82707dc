package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * The device jar as a process, pinned to the wrong fingerprint: its log names the fingerprint the broker presented
     * (the attempt was made and refused at the pin), and the device never goes online.
     */
    @Test
    void aWrongFingerprintRefusesToConnectAndTheLogNamesThePresentedOne() throws Exception {
        String wrong = Fingerprints.of(pki.ca.certificate(), FingerprintAlgorithm.SHA256, FingerprintFormat.COLON);
        String presented = Fingerprints.of(pki.server, FingerprintAlgorithm.SHA256, FingerprintFormat.COLON);
        Path config = fixture.write(fixture.yaml("  fingerprint-sha256: \"" + wrong + "\"\n", DeviceFixture.FAST));
        Path log = pki.file("wrong-pin.log");
        try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10)).until(availability::subscribed);
            Process device = DeviceFixture.startJar(config, log);
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Files.readString(log).contains(presented));

                assertThat(Files.readString(log))
                        .as("the WARN names the pin and what the broker presented")
                        .containsPattern("WARN .*Not connected to localhost:" + broker.tlsPort() + ": .*fingerprint"
                                + " mismatch: expected " + wrong + ", found " + presented);
                assertThat(Files.readString(log))
                        .as("a TLS failure is no reason to try MQTT 3.1.1")
                        .doesNotContain("falling back");
                assertThat(device.isAlive()).as("the device keeps trying").isTrue();
                assertThat(availability.payloads(AVAILABILITY)).isEmpty();
            } finally {
                device.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
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
        try (MosquittoClients.Subscription availability = clients.subscribe(AVAILABILITY)) {
            await().atMost(Duration.ofSeconds(10)).until(availability::subscribed);
            Process device = DeviceFixture.startJar(config, pki.file("device-process.log"));
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
