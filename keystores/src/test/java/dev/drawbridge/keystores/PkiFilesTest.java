package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiFilesTest {

    private static final char[] PASSWORD = "s3cret pass".toCharArray();

    private static CertificateAuthority ca;
    private static IssuedCertificate rsa;
    private static IssuedCertificate ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue() {
        ca = CertificateAuthority.create("Drawbridge CA", KeyType.RSA, Validity.days(30, Clock.systemUTC()));
        rsa = ca.issueClient("garage.local", KeyType.RSA, Validity.days(30, Clock.systemUTC()));
        ec = ca.issueClient("gate.local", KeyType.EC, Validity.days(30, Clock.systemUTC()));
    }

    @Test
    void privateKeyIsOwnerOnlyAndCertificateIsNot() throws Exception {
        Path key = dir.resolve("garage.key");
        Path certificate = dir.resolve("garage.crt");

        PkiFiles.writePrivateKey(key, rsa.key(), null, WriteMode.CREATE_NEW);
        PkiFiles.writeCertificates(certificate, List.of(rsa.certificate()), WriteMode.CREATE_NEW);

        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(certificate))
                .contains(PosixFilePermission.OWNER_READ)
                .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        assertThat(PemFiles.readPrivateKey(key, null).getEncoded())
                .isEqualTo(rsa.key().getEncoded());
    }

    @Test
    void refusesToOverwriteAndNamesTheFile() throws Exception {
        Path key = dir.resolve("garage.key");
        Files.writeString(key, "precious");

        assertThatThrownBy(() -> PkiFiles.writePrivateKey(key, rsa.key(), null, WriteMode.CREATE_NEW))
                .isInstanceOf(PkiException.class)
                .hasMessage(key + ": already exists, refusing to overwrite it");
        assertThat(Files.readString(key)).isEqualTo("precious");
    }

    @Test
    void replaceIsAtomicAndKeepsOwnerOnly() throws Exception {
        Path key = dir.resolve("garage.key");
        Files.writeString(key, "old");

        PkiFiles.writePrivateKey(key, ec.key(), null, WriteMode.REPLACE);

        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PkiFiles.SECRET);
        assertThat(PemFiles.readPrivateKey(key, null).getEncoded())
                .isEqualTo(ec.key().getEncoded());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(key);
        }
    }

    @Test
    void missingDirectoryIsNamed() {
        Path key = dir.resolve("absent").resolve("garage.key");

        assertThatThrownBy(() -> PkiFiles.writePrivateKey(key, rsa.key(), null, WriteMode.CREATE_NEW))
                .isInstanceOf(PkiException.class)
                .hasMessage(key + ": cannot create (no such directory)");
    }

    @Test
    void encryptedKeyIsAes256Pkcs8ThatOpensslOpens() throws Exception {
        Path key = dir.resolve("ca.key");

        PkiFiles.writePrivateKey(key, ca.key(), PASSWORD, WriteMode.CREATE_NEW);

        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(OpenSsl.ok(dir, "asn1parse", "-in", "ca.key")).contains("aes-256-cbc", "hmacWithSHA256");
        OpenSsl.ok(dir, "pkey", "-in", "ca.key", "-passin", "pass:s3cret pass", "-noout");
        assertThat(OpenSsl.run(dir, "pkey", "-in", "ca.key", "-passin", "pass:wrong", "-noout")
                        .exitCode())
                .isNotZero();
        assertThat(PemFiles.readPrivateKey(key, PASSWORD).getEncoded())
                .isEqualTo(ca.key().getEncoded());
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PkiFiles.SECRET);
    }

    @Test
    void pkcs12IsReadByOpensslAndTheJdk() throws Exception {
        Path p12 = dir.resolve("garage.p12");

        PkiFiles.writePkcs12(p12, "garage.local", rsa.withChain(ca.certificate()), PASSWORD, WriteMode.CREATE_NEW);

        assertThat(Files.getPosixFilePermissions(p12)).isEqualTo(PkiFiles.SECRET);
        assertThat(OpenSsl.ok(dir, "pkcs12", "-info", "-in", "garage.p12", "-passin", "pass:s3cret pass", "-nodes"))
                .contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC", "-----BEGIN PRIVATE KEY-----")
                .contains("subject=CN = garage.local", "subject=CN = Drawbridge CA");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD);
        }
        assertThat(store.getKey("garage.local", PASSWORD).getEncoded())
                .isEqualTo(rsa.key().getEncoded());
        assertThat(store.getCertificateChain("garage.local")).containsExactly(rsa.certificate(), ca.certificate());
    }

    @Test
    void derFilesAreWhatOpensslWrites() throws Exception {
        PkiFiles.writeCertificateDer(dir.resolve("garage.der"), rsa.certificate(), WriteMode.CREATE_NEW);
        PkiFiles.writePrivateKeyDer(dir.resolve("garage.key.der"), rsa.key(), WriteMode.CREATE_NEW);
        PkiFiles.writePrivateKeyDer(dir.resolve("gate.key.der"), ec.key(), WriteMode.CREATE_NEW);

        assertThat(PemFiles.readCertificate(dir.resolve("garage.der"))).isEqualTo(rsa.certificate());
        assertThat(Files.getPosixFilePermissions(dir.resolve("garage.key.der"))).isEqualTo(PkiFiles.SECRET);
        OpenSsl.ok(dir, "rsa", "-inform", "DER", "-in", "garage.key.der", "-check", "-noout");
        assertThat(OpenSsl.ok(dir, "ec", "-inform", "DER", "-in", "gate.key.der", "-noout", "-text"))
                .contains("prime256v1");
        OpenSsl.ok(
                dir,
                "rsa",
                "-inform",
                "DER",
                "-in",
                "garage.key.der",
                "-traditional",
                "-outform",
                "DER",
                "-out",
                "again.der");
        assertThat(Files.readAllBytes(dir.resolve("again.der")))
                .isEqualTo(Files.readAllBytes(dir.resolve("garage.key.der")));
    }
}
