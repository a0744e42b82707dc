package dev.drawbridge.broker.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import dev.drawbridge.keystores.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the broker jar logs about TLS at start, from its own output: the TLS provider in use, and the expiry warning for
 * a certificate that ends within 30 days, at start and again every day (shortened here with the test-only
 * {@code -Ddrawbridge.test.expiry-warning-interval}).
 */
class TlsStartLogIT {

    private static final Duration LINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<ClientProcess> brokers = new ArrayList<>();

    @AfterEach
    void stop() {
        brokers.forEach(ClientProcess::close);
    }

    private Path tlsConf(Issued server) throws Exception {
        return Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + Ports.free() + " 127.0.0.1\nallow_anonymous true\ncertfile " + server.cert()
                        + "\nkeyfile " + server.key() + "\n");
    }

    private ClientProcess start(List<String> jvmOptions, Path conf) throws Exception {
        ClientProcess broker = BrokerJar.start(dir, jvmOptions, "-c", conf.toString());
        brokers.add(broker);
        return broker;
    }

    @Test
    void theTlsProviderInUseIsLoggedAtStart() throws Exception {
        Path conf = tlsConf(TestPki.create(dir, "home").server("server"));
        boolean nativeLibraryShipped = System.getProperty("os.name").equals("Linux")
                && List.of("amd64", "aarch64").contains(System.getProperty("os.arch"));

        ClientProcess auto = start(List.of(), conf);
        auto.awaitLine(line -> line.contains("TLS provider: "), LINE);
        assertThat(BrokerJar.stop(auto)).isZero();
        ClientProcess jdk = start(List.of("-Ddrawbridge.tls.provider=jdk"), conf);
        jdk.awaitLine(line -> line.contains("TLS provider: "), LINE);
        assertThat(BrokerJar.stop(jdk)).isZero();

        assertThat(auto.output())
                .filteredOn(line -> line.contains("TLS provider: "))
                .singleElement()
                .asString()
                .contains(nativeLibraryShipped ? "TLS provider: OpenSSL (" : "TLS provider: JDK (");
        assertThat(jdk.output())
                .filteredOn(line -> line.contains("TLS provider: "))
                .singleElement()
                .asString()
                .contains("TLS provider: JDK (");
    }

    @Test
    void aCertificateEndingWithin30DaysIsWarnedAboutAtStartAndAgainEachInterval() throws Exception {
        TestPki pki = TestPki.create(dir, "home");
        Issued ending = pki.server("ending", KeyType.EC, TestPki.days(10));
        Path conf = tlsConf(ending);

        ClientProcess broker = start(List.of("-Ddrawbridge.test.expiry-warning-interval=PT1S"), conf);

        Awaitility.await("three expiry warnings").atMost(LINE).until(() -> warnings(broker, ending.cert()) >= 3);
        assertThat(broker.output())
                .filteredOn(line -> line.contains(ending.cert().toString()))
                .first()
                .asString()
                .contains("expires on", "days left");
        assertThat(BrokerJar.stop(broker)).isZero();
    }

    private static long warnings(ClientProcess broker, Path cert) {
        return broker.output().stream()
                .filter(line -> line.contains("expires on") && line.contains(cert.toString()))
                .count();
    }
}
