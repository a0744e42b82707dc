package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaDirectoryTest {

    private static final char[] PASSPHRASE = "long ca passphrase".toCharArray();

    @TempDir
    Path root;

    @Test
    void initWritesTheLayoutWithOwnerOnlyKeyAndAnEmptyCrl() throws Exception {
        CaDirectory pki = CaDirectory.at(root.resolve("pki"));

        pki.init("Home CA", KeyType.EC, 3650, null, WriteMode.CREATE_NEW);

        assertThat(pki.directory().resolve("ca.crt")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(pki.file("ca.key"))).isEqualTo(PkiFiles.SECRET);
        assertThat(PemFiles.readCrl(pki.file("crl.pem")).getRevokedCertificates())
                .isNull();
        assertThat(pki.caKeyEncrypted()).isFalse();
        OpenSsl.ok(pki.directory(), "verify", "-CAfile", "ca.crt", "ca.crt");
    }

    @Test
    void initRefusesAnExistingCa() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        pki.init("Home CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW);
        byte[] before = Files.readAllBytes(pki.file("ca.key"));

        assertThatThrownBy(() -> pki.init("Other CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.file("ca.key") + ": already exists, refusing to overwrite it");
        assertThat(Files.readAllBytes(pki.file("ca.key"))).isEqualTo(before);
    }

    @Test
    void encryptedCaKeyNeedsItsPassphrase() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        pki.init("Home CA", KeyType.RSA, 30, PASSPHRASE, WriteMode.CREATE_NEW);

        assertThat(pki.caKeyEncrypted()).isTrue();
        assertThatThrownBy(() -> pki.open(null))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.file("ca.key") + ": private key is encrypted and no passphrase was given");
        CertificateAuthority ca = pki.open(PASSPHRASE);
        pki.issueClient(ca, "garage.local", KeyType.RSA, 30, WriteMode.CREATE_NEW);
        OpenSsl.ok(root, "verify", "-CAfile", "ca.crt", "garage.local.crt");
    }

    @Test
    void issuesServerAndClientAndRefusesToReissueUnlessAsked() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        CertificateAuthority ca = pki.init("Home CA", KeyType.RSA, 30, null, WriteMode.CREATE_NEW);
        pki.issueServer(
                ca, "mqtt.local", List.of("mqtt.local"), List.of("10.0.0.2"), KeyType.RSA, 30, WriteMode.CREATE_NEW);
        IssuedCertificate first = pki.issueClient(ca, "garage", KeyType.EC, 30, WriteMode.CREATE_NEW);

        assertThat(Files.getPosixFilePermissions(pki.keyFile("mqtt.local"))).isEqualTo(PkiFiles.SECRET);
        assertThatThrownBy(() -> pki.issueClient(ca, "garage", KeyType.EC, 30, WriteMode.CREATE_NEW))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.keyFile("garage") + ": already exists, refusing to overwrite it");
        IssuedCertificate second = pki.issueClient(ca, "garage", KeyType.EC, 30, WriteMode.REPLACE);
        assertThat(PemFiles.readCertificate(pki.certificateFile("garage")))
                .isEqualTo(second.certificate())
                .isNotEqualTo(first.certificate());
        assertThat(pki.keyMaterial("mqtt.local").chain()).hasSize(2);
    }

    @Test
    void revokeUpdatesTheCrlAndRefusesTwice() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        CertificateAuthority ca = pki.init("Home CA", KeyType.RSA, 30, null, WriteMode.CREATE_NEW);
        IssuedCertificate garage = pki.issueClient(ca, "garage", KeyType.RSA, 30, WriteMode.CREATE_NEW);

        pki.revoke(ca, "garage", 7);

        assertThat(pki.revoked())
                .extracting(RevokedCertificate::serialNumber)
                .containsExactly(garage.certificate().getSerialNumber());
        assertThat(PemFiles.readCrl(pki.file("crl.pem")).isRevoked(garage.certificate()))
                .isTrue();
        assertThat(Files.readString(pki.file("crlnumber")).strip()).isEqualTo("2");
        assertThat(OpenSsl.run(root, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "garage.crt")
                        .output())
                .contains("certificate revoked");
        assertThatThrownBy(() -> pki.revoke(ca, "garage", 7))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.certificateFile("garage") + ": already revoked");
    }

    @Test
    void namesThatAreNoPlainFileNamesAreRefused() {
        CaDirectory pki = CaDirectory.at(root);

        assertThatThrownBy(() -> pki.certificateFile("../garage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name: expected letters, digits, '.', '-' or '_' like garage.local (not 'ca'), "
                        + "found '../garage'");
        assertThatThrownBy(() -> pki.keyFile("ca")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exportsDerAndPkcs12() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        CertificateAuthority ca = pki.init("Home CA", KeyType.RSA, 30, null, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "garage", KeyType.RSA, 30, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "gate", KeyType.EC, 30, WriteMode.CREATE_NEW);
        CaExports exports = new CaExports(pki);

        assertThat(exports.der("garage", WriteMode.CREATE_NEW))
                .containsExactly(pki.file("garage.der"), pki.file("garage.key.der"), pki.file("ca.der"));
        assertThat(exports.der("gate", WriteMode.CREATE_NEW))
                .as("identical ca.der is kept")
                .containsExactly(pki.file("gate.der"), pki.file("gate.key.der"));
        assertThatThrownBy(() -> exports.der("garage", WriteMode.CREATE_NEW))
                .hasMessage(pki.file("garage.der") + ": already exists, refusing to overwrite it");
        Path p12 = exports.pkcs12("garage", "pw".toCharArray(), WriteMode.CREATE_NEW);
        assertThat(OpenSsl.ok(
                        root, "pkcs12", "-info", "-in", p12.getFileName().toString(), "-passin", "pass:pw", "-nokeys"))
                .contains("friendlyName: garage");
        assertThat(PemFiles.readCertificate(pki.file("ca.der"))).isEqualTo(ca.certificate());
    }

    @Test
    void recordCertificateWritesOnlyTheCertificateAndRevokeSeesIt() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        CertificateAuthority ca = pki.init("Home CA", KeyType.RSA, 30, null, WriteMode.CREATE_NEW);
        IssuedCertificate door = ca.issueClient("door", KeyType.EC, Validity.days(30, java.time.Clock.systemUTC()));

        pki.recordCertificate("door", door.certificate());

        assertThat(PemFiles.readCertificate(pki.certificateFile("door"))).isEqualTo(door.certificate());
        assertThat(pki.keyFile("door")).as("the key is not kept").doesNotExist();
        assertThatThrownBy(() -> pki.recordCertificate("door", door.certificate()))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.certificateFile("door") + ": already exists, refusing to overwrite it");
        pki.revoke(ca, "door", 7);
        assertThat(PemFiles.readCrl(pki.file("crl.pem")).isRevoked(door.certificate()))
                .isTrue();
    }

    @Test
    void requireNewNameRefusesTakenAndBadNames() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        CertificateAuthority ca = pki.init("Home CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "garage", KeyType.EC, 30, WriteMode.CREATE_NEW);
        Files.writeString(pki.file("stray.key"), "x");

        pki.requireNewName("gate");
        assertThatThrownBy(() -> pki.requireNewName("garage"))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.certificateFile("garage") + ": already exists, refusing to overwrite it");
        assertThatThrownBy(() -> pki.requireNewName("stray"))
                .as("a key without its certificate is taken too")
                .hasMessage(pki.keyFile("stray") + ": already exists, refusing to overwrite it");
        assertThatThrownBy(() -> pki.requireNewName("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pki.requireNewName("ca")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renewKeepsKeyNamesAndUsagesWithANewSerialAndValidity() throws Exception {
        CaDirectory pki = CaDirectory.at(root);
        CertificateAuthority ca = pki.init("Home CA", KeyType.RSA, 3650, null, WriteMode.CREATE_NEW);
        IssuedCertificate old = pki.issueServer(
                ca,
                "mqtt.local",
                List.of("mqtt.local", "localhost"),
                List.of("127.0.0.1"),
                KeyType.RSA,
                5,
                WriteMode.CREATE_NEW);
        byte[] key = Files.readAllBytes(pki.keyFile("mqtt.local"));

        java.security.cert.X509Certificate renewed = pki.renew(ca, "mqtt.local", 400);

        assertThat(PemFiles.readCertificate(pki.certificateFile("mqtt.local"))).isEqualTo(renewed);
        assertThat(Files.readAllBytes(pki.keyFile("mqtt.local")))
                .as("the key file is untouched")
                .isEqualTo(key);
        assertThat(renewed.getPublicKey()).isEqualTo(old.certificate().getPublicKey());
        assertThat(renewed.getSerialNumber()).isNotEqualTo(old.certificate().getSerialNumber());
        assertThat(renewed.getSubjectX500Principal())
                .isEqualTo(old.certificate().getSubjectX500Principal());
        assertThat(renewed.getSubjectAlternativeNames())
                .containsExactlyElementsOf(old.certificate().getSubjectAlternativeNames());
        assertThat(renewed.getExtendedKeyUsage()).isEqualTo(old.certificate().getExtendedKeyUsage());
        assertThat(renewed.getNotAfter()).isAfter(old.certificate().getNotAfter());
        assertThat(CertificateKind.of(renewed)).isEqualTo(CertificateKind.SERVER);
        assertThat(pki.keyMaterial("mqtt.local").certificate())
                .as("key and certificate still match")
                .isEqualTo(renewed);
        OpenSsl.ok(root, "verify", "-CAfile", "ca.crt", "mqtt.local.crt");
    }

    @Test
    void renewRefusesACertificateOfAnotherCa() throws Exception {
        CaDirectory pki = CaDirectory.at(root.resolve("a"));
        CertificateAuthority ca = pki.init("Home CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW);
        CaDirectory other = CaDirectory.at(root.resolve("b"));
        CertificateAuthority otherCa = other.init("Other CA", KeyType.EC, 30, null, WriteMode.CREATE_NEW);
        other.issueClient(otherCa, "gate", KeyType.EC, 30, WriteMode.CREATE_NEW);
        Files.copy(other.certificateFile("gate"), pki.certificateFile("gate"));
        byte[] before = Files.readAllBytes(pki.certificateFile("gate"));

        assertThatThrownBy(() -> pki.renew(ca, "gate", 30))
                .isInstanceOf(PkiException.class)
                .hasMessage(pki.certificateFile("gate") + ": not issued by this CA: CN=gate is issued by CN=Other CA");
        assertThat(Files.readAllBytes(pki.certificateFile("gate"))).isEqualTo(before);
    }
}
