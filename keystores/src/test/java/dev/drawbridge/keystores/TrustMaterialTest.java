package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustMaterialTest {

    @TempDir
    Path dir;

    @Test
    void trustManagerRefusesRevokedClientsOnlyWhenACrlIsGiven() throws Exception {
        CaDirectory pki = CaDirectory.at(dir);
        CertificateAuthority ca = pki.init("Home CA", KeyType.RSA, 30, null, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "garage", KeyType.RSA, 30, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "stolen", KeyType.RSA, 30, WriteMode.CREATE_NEW);
        pki.revoke(ca, "stolen", 30);
        X509Certificate[] garage = pki.keyMaterial("garage").chainArray();
        X509Certificate[] stolen = pki.keyMaterial("stolen").chainArray();

        X509TrustManager withCrl = trustManager(TrustMaterial.load(pki.file("ca.crt"), pki.file("crl.pem")));
        X509TrustManager withoutCrl = trustManager(TrustMaterial.load(pki.file("ca.crt"), null));

        withCrl.checkClientTrusted(garage, "RSA");
        assertThatThrownBy(() -> withCrl.checkClientTrusted(stolen, "RSA"))
                .isInstanceOf(CertificateException.class)
                .hasStackTraceContaining("revoked");
        withoutCrl.checkClientTrusted(stolen, "RSA");
    }

    @Test
    void keyMaterialLoadsMatchingKeyAndRefusesAMismatch() throws Exception {
        CaDirectory pki = CaDirectory.at(dir);
        CertificateAuthority ca = pki.init("Home CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW);
        pki.issueServer(ca, "mqtt", List.of("mqtt.local"), List.of(), KeyType.EC, 30, WriteMode.CREATE_NEW);

        KeyMaterial material = KeyMaterial.load(pki.keyFile("mqtt"), pki.certificateFile("mqtt"), null);
        X509KeyManager keyManager =
                (X509KeyManager) material.keyManagerFactory().getKeyManagers()[0];

        assertThat(keyManager.getPrivateKey(KeyMaterial.ALIAS)).isEqualTo(material.key());
        assertThat(keyManager.getCertificateChain(KeyMaterial.ALIAS)).containsExactly(material.chainArray());
        assertThatThrownBy(() -> KeyMaterial.load(pki.file("ca.key"), pki.certificateFile("mqtt"), null))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.file("ca.key") + ": private key does not match the certificate in "
                        + pki.certificateFile("mqtt") + " (CN=mqtt)");
    }

    private static X509TrustManager trustManager(TrustMaterial material) {
        return (X509TrustManager) material.trustManagerFactory().getTrustManagers()[0];
    }
}
