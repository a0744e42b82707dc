package dev.drawbridge.broker.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With certificate identity, a client id held by one certificate cannot be taken by another ({@code
 * refuse_identity_takeover}, on by default); with the option off it can, as in Mosquitto.
 */
class IdentityTakeoverIT {

    @Test
    void anotherCertificateCannotTakeTheGaragesClientIdButTheGarageCanReconnect(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir, "ca");
        TestPki.Issued server = pki.server("server");
        TestPki.Issued garage = pki.client("garage");
        TestPki.Issued intruder = pki.client("intruder");
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\n"
                        + "cafile " + pki.caFile() + "\n"
                        + "certfile " + server.cert() + "\n"
                        + "keyfile " + server.key() + "\n"
                        + "require_certificate true\n"
                        + "use_identity_as_username true\n");
        try (Drawbridge broker = Drawbridge.start(conf)) {
            int port = broker.port();
            try (ClientProcess door = MosquittoClients.subscribed(
                    port,
                    tls(pki, garage, "-i", "garage-door", "-t", "garage/cmd").toArray(String[]::new))) {

                MosquittoClients.Result stolen = MosquittoClients.pub(
                        port,
                        tls(pki, intruder, "-i", "garage-door", "-t", "x", "-m", "y")
                                .toArray(String[]::new));

                assertThat(stolen.exitCode()).isNotZero();
                assertThat(String.join("\n", stolen.stderr())).containsIgnoringCase("not authori");
                assertThat(door.isAlive())
                        .as("the garage's connection is untouched")
                        .isTrue();

                // The garage itself may take its own id over (a reconnect after a network cut).
                MosquittoClients.Result own = MosquittoClients.pub(
                        port,
                        tls(pki, garage, "-i", "garage-door", "-t", "garage/state", "-m", "closed")
                                .toArray(String[]::new));
                assertThat(own.exitCode()).isZero();
            }
        }
    }

    @Test
    void withRefuseIdentityTakeoverFalseAnotherCertificateTakesTheIdOverAsInMosquitto(@TempDir Path dir)
            throws Exception {
        TestPki pki = TestPki.create(dir, "ca");
        TestPki.Issued server = pki.server("server");
        TestPki.Issued garage = pki.client("garage");
        TestPki.Issued other = pki.client("other");
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\n"
                        + "cafile " + pki.caFile() + "\n"
                        + "certfile " + server.cert() + "\n"
                        + "keyfile " + server.key() + "\n"
                        + "require_certificate true\n"
                        + "use_identity_as_username true\n"
                        + "refuse_identity_takeover false\n");
        try (Drawbridge broker = Drawbridge.start(conf)) {
            int port = broker.port();
            try (ClientProcess door = MosquittoClients.subscribed(
                    port,
                    tls(pki, garage, "-i", "garage-door", "-t", "garage/cmd").toArray(String[]::new))) {

                MosquittoClients.Result taken = MosquittoClients.pub(
                        port,
                        tls(pki, other, "-i", "garage-door", "-t", "x", "-m", "y")
                                .toArray(String[]::new));

                assertThat(taken.exitCode())
                        .as("the other certificate's CONNECT with the garage's id: %s", taken.stderr())
                        .isZero();
                // The garage's connection was closed by the takeover: its client connects again.
                Awaitility.await("the garage's client reconnecting after the takeover")
                        .atMost(Duration.ofSeconds(15))
                        .until(() -> door.output().stream()
                                        .filter(line -> line.contains("sending CONNECT"))
                                        .count()
                                >= 2);
            }
        }
    }

    private static List<String> tls(TestPki pki, TestPki.Issued client, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--cafile", pki.caFile().toString(),
                "--cert", client.cert().toString(),
                "--key", client.key().toString()));
        all.addAll(List.of(args));
        return all;
    }
}
