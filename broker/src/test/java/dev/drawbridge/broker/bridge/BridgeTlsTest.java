package dev.drawbridge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.broker.testing.TestPki;
import dev.drawbridge.broker.testing.TestPki.Issued;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link BridgeTls} makes of a bridge's TLS options without a network: the files it refuses, each named in the
 * message, and the handler's SNI, hostname check and versions. The handshakes are {@code BridgeTlsIT}'s.
 */
class BridgeTlsTest {

    @TempDir
    Path dir;

    private TestPki pki;
    private Issued client;

    @BeforeEach
    void pki() throws Exception {
        pki = TestPki.create(dir, "remote");
        client = pki.client("bridge");
    }

    private static BridgeConfig.Tls tls(
            Optional<Path> cafile, Optional<Path> capath, Optional<Issued> client, Optional<String> version) {
        return new BridgeConfig.Tls(
                cafile, capath, client.map(Issued::cert), client.map(Issued::key), false, version, Optional.empty());
    }

    private BridgeConfig.Tls withCa(Path cafile) {
        return tls(Optional.of(cafile), Optional.empty(), Optional.of(client), Optional.empty());
    }

    @Test
    void aGoodCaAndClientCertificateMakeAClientContext() throws Exception {
        SslContext context = BridgeTls.clientContext(withCa(pki.caFile()));
        assertThat(context.isClient()).isTrue();
    }

    @Test
    void aMissingCafileIsNamed() {
        Path missing = dir.resolve("missing-ca.crt");
        assertThatThrownBy(() -> BridgeTls.clientContext(withCa(missing)))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aGarbledCafileIsNamed() throws Exception {
        Path garbled = Files.writeString(dir.resolve("garbled-ca.crt"), "not a certificate\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BridgeTls.clientContext(withCa(garbled)))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessageStartingWith(garbled + ": not a PEM or DER certificate");
    }

    @Test
    void aKeyfileThatIsNoKeyIsNamed() {
        BridgeConfig.Tls tls = new BridgeConfig.Tls(
                Optional.of(pki.caFile()),
                Optional.empty(),
                Optional.of(client.cert()),
                Optional.of(client.cert()), // the certificate where the key should be
                false,
                Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> BridgeTls.clientContext(tls))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessage(client.cert() + ": not a PEM private key (found 'BEGIN CERTIFICATE')");
    }

    @Test
    void aKeyOfAnotherCertificateIsNamed() throws Exception {
        Issued other = pki.client("other");
        BridgeConfig.Tls tls = new BridgeConfig.Tls(
                Optional.of(pki.caFile()),
                Optional.empty(),
                Optional.of(client.cert()),
                Optional.of(other.key()),
                false,
                Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> BridgeTls.clientContext(tls))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessageStartingWith(
                        other.key() + ": private key does not match the certificate in " + client.cert());
    }

    @Test
    void anEncryptedKeyIsRefusedByName() throws Exception {
        Issued encrypted = pki.encryptedClient("locked", "secret");
        BridgeConfig.Tls tls =
                tls(Optional.of(pki.caFile()), Optional.empty(), Optional.of(encrypted), Optional.empty());
        assertThatThrownBy(() -> BridgeTls.clientContext(tls))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessage(encrypted.key() + ": bridge_keyfile: the private key is encrypted, and a bridge has no"
                        + " option for its passphrase (nor has Mosquitto's)");
    }

    @Test
    void aCapathWithoutCertificatesIsRefusedAndOneWithTheCaIsTaken() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty-capath"));
        Files.writeString(empty.resolve("README"), "not read\n", StandardCharsets.UTF_8);
        BridgeConfig.Tls none = tls(Optional.empty(), Optional.of(empty), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> BridgeTls.clientContext(none))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessage(empty + ": bridge_capath holds no CA certificate (files *.pem, *.crt or hash links like"
                        + " 9d66eef0.0 are read), so no remote broker could be trusted");

        Path capath = Files.createDirectory(dir.resolve("capath"));
        Files.copy(pki.caFile(), capath.resolve("remote-ca.crt"));
        BridgeConfig.Tls some = tls(Optional.empty(), Optional.of(capath), Optional.empty(), Optional.empty());
        assertThat(BridgeTls.clientContext(some).isClient()).isTrue();
    }

    @Test
    void aGarbledFileInCapathIsNamed() throws Exception {
        Path capath = Files.createDirectory(dir.resolve("capath"));
        Files.copy(pki.caFile(), capath.resolve("a.crt"));
        Path garbled = Files.writeString(
                capath.resolve("b.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        BridgeConfig.Tls tls = tls(Optional.empty(), Optional.of(capath), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> BridgeTls.clientContext(tls))
                .isInstanceOf(BridgeTlsException.class)
                .hasMessageStartingWith(garbled + ": ");
    }

    @Test
    void theHandlerSendsTheHostAndChecksItUnlessInsecure() throws Exception {
        SslContext context = BridgeTls.clientContext(withCa(pki.caFile()));
        BridgeConfig.Address address = new BridgeConfig.Address("mqtt.example.net", 8883);
        SslHandler checked = BridgeTls.handler(context, ByteBufAllocator.DEFAULT, address, false);
        SslHandler insecure = BridgeTls.handler(context, ByteBufAllocator.DEFAULT, address, true);
        try {
            assertThat(checked.engine().getPeerHost()).isEqualTo("mqtt.example.net");
            assertThat(checked.engine().getPeerPort()).isEqualTo(8883);
            assertThat(checked.engine().getUseClientMode()).isTrue();
            assertThat(checked.engine().getSSLParameters().getEndpointIdentificationAlgorithm())
                    .isEqualTo("HTTPS");
            assertThat(insecure.engine().getSSLParameters().getEndpointIdentificationAlgorithm())
                    .isNull();
        } finally {
            ReferenceCountUtil.release(checked.engine());
            ReferenceCountUtil.release(insecure.engine());
        }
    }

    @Test
    void tlsVersionIsTheLowestOffered() throws Exception {
        record Case(Optional<String> version, List<String> offered) {}
        for (Case c : List.of(
                new Case(Optional.empty(), List.of("TLSv1.2", "TLSv1.3")),
                new Case(Optional.of("TLSv1.2"), List.of("TLSv1.2", "TLSv1.3")),
                new Case(Optional.of("TLSv1.3"), List.of("TLSv1.3")))) {
            SslContext context = BridgeTls.clientContext(
                    tls(Optional.of(pki.caFile()), Optional.empty(), Optional.empty(), c.version()));
            SslHandler handler =
                    BridgeTls.handler(context, ByteBufAllocator.DEFAULT, new BridgeConfig.Address("h", 1), false);
            try {
                // Netty's OpenSSL engine lists the pseudo-protocol SSLv2Hello, which is no version it offers.
                List<String> enabled = Arrays.stream(handler.engine().getEnabledProtocols())
                        .filter(p -> !p.equals("SSLv2Hello"))
                        .sorted()
                        .toList();
                assertThat(enabled).as("bridge_tls_version %s", c.version()).containsExactlyElementsOf(c.offered());
            } finally {
                ReferenceCountUtil.release(handler.engine());
            }
        }
    }
}
