package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void issuedCertificatesVerifyWithOpenssl(KeyType keyType) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge CA", keyType, days(3650));
        IssuedCertificate server = ca.issueServer(new ServerCertificateRequest(
                "mqtt.local", List.of("mqtt.local", "localhost"), List.of("192.168.1.10", "::1"), keyType, days(825)));
        IssuedCertificate client = ca.issueClient("garage.local", keyType, days(825));
        write("ca.crt", ca.certificate());
        write("mqtt.crt", server.certificate());
        write("garage.crt", client.certificate());

        assertThat(OpenSsl.ok(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "mqtt.crt"))
                .contains("mqtt.crt: OK");
        assertThat(OpenSsl.ok(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "garage.crt"))
                .contains("garage.crt: OK");
        assertThat(OpenSsl.run(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "mqtt.crt")
                        .exitCode())
                .as("a server certificate is no client certificate")
                .isNotZero();
        assertThat(OpenSsl.ok(dir, "x509", "-in", "mqtt.crt", "-noout", "-ext", "subjectAltName"))
                .contains("DNS:mqtt.local, DNS:localhost, IP Address:192.168.1.10, IP Address:0:0:0:0:0:0:0:1");
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void extensionsFollowTheProfile(KeyType keyType) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge CA", keyType, days(30));
        X509Certificate server = ca.issueServer(
                        new ServerCertificateRequest("mqtt.local", List.of("mqtt.local"), List.of(), keyType, days(30)))
                .certificate();
        X509Certificate client =
                ca.issueClient("garage.local", keyType, days(30)).certificate();
        X509Certificate root = ca.certificate();

        assertThat(root.getBasicConstraints()).isZero();
        assertThat(root.getKeyUsage()).startsWith(false, false, false, false, false, true, true);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=garage.local");
        assertThat(server.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        boolean[] usage = server.getKeyUsage();
        assertThat(usage[0]).as("digitalSignature").isTrue();
        assertThat(usage[2]).as("keyEncipherment").isEqualTo(keyType == KeyType.RSA);
        assertThat(server.getSigAlgName()).isEqualTo(keyType == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA");
        assertThat(authorityKeyId(server)).isEqualTo(subjectKeyId(root)).isNotEmpty();
        assertThat(subjectKeyId(server)).isNotEmpty().isNotEqualTo(subjectKeyId(root));
    }

    @Test
    void serialNumbersArePositiveRandomSixteenBytes() {
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge CA", KeyType.EC, days(30));
        List<BigInteger> serials = List.of(
                ca.certificate().getSerialNumber(),
                ca.issueClient("a", KeyType.EC, days(1)).certificate().getSerialNumber(),
                ca.issueClient("b", KeyType.EC, days(1)).certificate().getSerialNumber());

        assertThat(serials).doesNotHaveDuplicates().allSatisfy(serial -> {
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isBetween(97, 128);
        });
    }

    @Test
    void validityIsTheRequestedDays() {
        Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), java.time.ZoneOffset.UTC);
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge CA", KeyType.EC, Validity.days(10, clock));

        assertThat(ca.certificate().getNotAfter().toInstant()).isEqualTo("2026-05-11T10:00:00Z");
        assertThat(ca.certificate().getNotBefore().toInstant()).isEqualTo("2026-05-01T09:59:00Z");
    }

    @Test
    void revokedCertificateFailsOpensslCrlCheck() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge CA", KeyType.RSA, days(30));
        IssuedCertificate revoked = ca.issueClient("stolen.local", KeyType.RSA, days(30));
        IssuedCertificate kept = ca.issueClient("garage.local", KeyType.RSA, days(30));
        Instant now = Instant.now();
        X509CRL crl = ca.createCrl(
                List.of(new RevokedCertificate(revoked.certificate().getSerialNumber(), now)),
                now,
                now.plus(Duration.ofDays(7)),
                BigInteger.valueOf(3));
        write("ca.crt", ca.certificate());
        write("stolen.crt", revoked.certificate());
        write("garage.crt", kept.certificate());
        Files.writeString(dir.resolve("crl.pem"), PemEncoding.crl(crl));

        OpenSsl.Result stolen =
                OpenSsl.run(dir, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "stolen.crt");
        assertThat(stolen.exitCode()).isNotZero();
        assertThat(stolen.output()).contains("certificate revoked");
        assertThat(OpenSsl.ok(dir, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "garage.crt"))
                .contains("garage.crt: OK");
        assertThat(OpenSsl.ok(dir, "crl", "-in", "crl.pem", "-noout", "-text"))
                .contains("Version 2 (0x1)", "X509v3 CRL Number", "3", "X509v3 Authority Key Identifier")
                .containsIgnoringCase(revoked.certificate().getSerialNumber().toString(16));
        X509CRL jdk = (X509CRL)
                CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.getEncoded()));
        jdk.verify(ca.certificate().getPublicKey());
        assertThat(jdk.isRevoked(revoked.certificate())).isTrue();
        assertThat(jdk.isRevoked(kept.certificate())).isFalse();
        assertThat(jdk.getNextUpdate().toInstant())
                .isEqualTo(now.plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void aServerCertificateUnderAnIntermediateVerifiesWithOpensslAgainstTheRootOnly() throws Exception {
        CertificateAuthority root = CertificateAuthority.create(
                "Drawbridge Root", KeyType.EC, days(3650), 1, new java.security.SecureRandom());
        CertificateAuthority intermediate = root.issueIntermediate("Drawbridge Intermediate", KeyType.EC, days(365));
        IssuedCertificate server = intermediate.issueServer(
                new ServerCertificateRequest("mqtt.local", List.of("mqtt.local"), List.of(), KeyType.EC, days(30)));
        write("root.crt", root.certificate());
        write("intermediate.crt", intermediate.certificate());
        write("mqtt.crt", server.certificate());

        assertThat(OpenSsl.ok(
                        dir,
                        "verify",
                        "-CAfile",
                        "root.crt",
                        "-untrusted",
                        "intermediate.crt",
                        "-purpose",
                        "sslserver",
                        "mqtt.crt"))
                .contains("mqtt.crt: OK");
        assertThat(OpenSsl.run(dir, "verify", "-CAfile", "root.crt", "mqtt.crt").exitCode())
                .as("without the intermediate the leaf does not verify")
                .isNotZero();
        assertThat(intermediate.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void aRootWithPathLengthZeroIssuesNoIntermediate() {
        CertificateAuthority ca = CertificateAuthority.create("Drawbridge CA", KeyType.EC, days(30));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> ca.issueIntermediate("Sub", KeyType.EC, days(30))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allows no intermediate CA");
    }

    private static Validity days(int days) {
        return Validity.days(days, Clock.systemUTC());
    }

    private void write(String name, X509Certificate certificate) throws Exception {
        Files.writeString(dir.resolve(name), PemEncoding.certificates(List.of(certificate)));
    }

    private static byte[] subjectKeyId(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(
                        ASN1OctetString.getInstance(value).getOctets())
                .getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(
                        ASN1OctetString.getInstance(value).getOctets())
                .getKeyIdentifierObject()
                .getOctets();
    }
}
