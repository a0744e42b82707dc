package dev.drawbridge.broker.it.tls;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.run;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiFiles;
import dev.drawbridge.keystores.ServerCertificateRequest;
import dev.drawbridge.keystores.Validity;
import dev.drawbridge.keystores.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server certificate signed by an intermediate CA, with only the leaf in {@code certfile}: the broker completes the
 * chain it sends from {@code cafile} or {@code capath}, as Mosquitto (OpenSSL) does, so {@code mosquitto_sub --cafile
 * ROOT} verifies it. Failsafe runs this class with both TLS providers (see {@link TlsIT}).
 */
class ServerChainIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Path root;
    private Path intermediate;
    private Path leaf;
    private Path leafKey;
    private @Nullable Drawbridge broker;
    private @Nullable ClientProcess subscriber;

    @BeforeEach
    void makeChain() throws Exception {
        Validity year = Validity.days(365, Clock.systemUTC());
        CertificateAuthority rootCa = CertificateAuthority.create("Home Root", KeyType.EC, year, 1, new SecureRandom());
        CertificateAuthority intermediateCa = rootCa.issueIntermediate("Home Intermediate", KeyType.EC, year);
        IssuedCertificate server = intermediateCa.issueServer(new ServerCertificateRequest(
                "localhost", List.of("localhost"), List.of("127.0.0.1"), KeyType.EC, year));
        root = write("root.crt", rootCa.certificate());
        intermediate = write("intermediate.crt", intermediateCa.certificate());
        leaf = write("server.crt", server.certificate());
        leafKey = dir.resolve("server.key");
        PkiFiles.writePrivateKey(leafKey, server.key(), null, WriteMode.CREATE_NEW);
    }

    @AfterEach
    void tearDown() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cafile", "capath"})
    void aLeafOnlyCertfileIsSentWithItsIntermediateAndVerifiesAgainstTheRoot(String option) throws Exception {
        Path cas;
        if (option.equals("cafile")) {
            cas = Files.writeString(dir.resolve("chain.pem"), Files.readString(intermediate) + Files.readString(root));
        } else {
            cas = Files.createDirectory(dir.resolve("certs"));
            Files.copy(root, cas.resolve("root.pem"));
            Files.copy(intermediate, cas.resolve("intermediate.pem"));
        }
        int port = start(option + " " + cas);
        String[] tls = {"--cafile", root.toString()};

        subscriber = subscribed(port, concat(tls, "-t", "chain/test", "-C", "1"));
        Result published = pub(port, concat(tls, "-t", "chain/test", "-m", "verified"));

        assertThat(published.exitCode())
                .as("mosquitto_pub: %s", published.stderr())
                .isZero();
        subscriber.awaitLine("verified"::equals, TIMEOUT);
        assertThat(subscriber.waitFor(TIMEOUT)).isZero();
        // What was sent: the leaf and the intermediate; the root is the client's own.
        Result shown = run(List.of(
                "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile", root.toString(), "-showcerts"));
        assertThat(shown.stdout())
                .filteredOn(line -> line.matches(" [0-9] s:.*"))
                .containsExactly(" 0 s:CN = localhost", " 1 s:CN = Home Intermediate");
    }

    /** Without the intermediate among the CAs there is nothing to complete the chain with: the client refuses. */
    @Test
    void withoutTheIntermediateTheClientCannotVerifyTheLeaf() throws Exception {
        int port = start("cafile " + root);

        Result refused = subUntilDone(port, "--cafile", root.toString(), "-t", "chain/test", "-C", "1", "-W", "5");

        assertThat(refused.exitCode()).isNotZero();
        // "Unable to connect (...)" or "Error: ...", as the handshake and the client's first read race.
        assertThat(refused.stderr()).anyMatch(line -> line.contains("A TLS error occurred."));
    }

    private int start(String caOption) throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "allow_anonymous true\nlistener 0 127.0.0.1\ncertfile " + leaf + "\nkeyfile " + leafKey + "\n"
                        + caOption + "\n");
        broker = Drawbridge.start(conf);
        return broker.port();
    }

    private Path write(String name, X509Certificate certificate) throws Exception {
        Path file = dir.resolve(name);
        PkiFiles.writeCertificates(file, List.of(certificate), WriteMode.CREATE_NEW);
        return file;
    }

    private static String[] concat(String[] first, String... second) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.stream.Stream.of(second))
                .toArray(String[]::new);
    }
}
