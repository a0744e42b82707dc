package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemFilesTest {

    private static final char[] SECRET = "correct horse".toCharArray();

    @TempDir
    Path dir;

    @Test
    void readsPkcs1RsaKeyFromOpensslGenrsa() throws Exception {
        OpenSsl.ok(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
        OpenSsl.ok(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "rsa.key", "-out", "rsa8.key");
        assertThat(Files.readString(dir.resolve("rsa.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        PrivateKey pkcs1 = PemFiles.readPrivateKey(dir.resolve("rsa.key"), null);
        PrivateKey pkcs8 = PemFiles.readPrivateKey(dir.resolve("rsa8.key"), null);

        assertThat(pkcs1.getAlgorithm()).isEqualTo("RSA");
        assertThat(pkcs1.getEncoded()).isEqualTo(pkcs8.getEncoded());
    }

    @Test
    void readsSec1EcKeyWithLeadingParametersBlock() throws Exception {
        OpenSsl.ok(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "ec.key");
        assertThat(Files.readString(dir.resolve("ec.key"))).startsWith("-----BEGIN EC PARAMETERS-----");

        PrivateKey key = PemFiles.readPrivateKey(dir.resolve("ec.key"), null);

        assertThat(key.getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsEncryptedPkcs8WithPassphrase() throws Exception {
        OpenSsl.ok(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
        OpenSsl.ok(
                dir,
                "pkcs8",
                "-topk8",
                "-v2",
                "aes-256-cbc",
                "-passout",
                "pass:correct horse",
                "-in",
                "rsa.key",
                "-out",
                "enc.key");
        assertThat(Files.readString(dir.resolve("enc.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        PrivateKey decrypted = PemFiles.readPrivateKey(dir.resolve("enc.key"), SECRET);

        assertThat(decrypted.getEncoded())
                .isEqualTo(PemFiles.readPrivateKey(dir.resolve("rsa.key"), null).getEncoded());
        assertThat(PemFiles.isEncryptedPrivateKey(dir.resolve("enc.key"))).isTrue();
    }

    @Test
    void readsLegacyEncryptedRsaAndEcPem() throws Exception {
        OpenSsl.ok(
                dir, "genrsa", "-traditional", "-aes256", "-passout", "pass:correct horse", "-out", "rsa.key", "2048");
        OpenSsl.ok(dir, "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ec.key");
        OpenSsl.ok(dir, "ec", "-in", "ec.key", "-aes256", "-passout", "pass:correct horse", "-out", "ec-enc.key");
        assertThat(Files.readString(dir.resolve("rsa.key"))).contains("Proc-Type: 4,ENCRYPTED");

        assertThat(PemFiles.readPrivateKey(dir.resolve("rsa.key"), SECRET).getAlgorithm())
                .isEqualTo("RSA");
        assertThat(PemFiles.readPrivateKey(dir.resolve("ec-enc.key"), SECRET).getEncoded())
                .isEqualTo(PemFiles.readPrivateKey(dir.resolve("ec.key"), null).getEncoded());
    }

    @Test
    void encryptedKeyWithoutOrWithWrongPassphraseNamesTheFile() throws Exception {
        OpenSsl.ok(dir, "genrsa", "-aes256", "-passout", "pass:correct horse", "-out", "ca.key", "2048");
        Path file = dir.resolve("ca.key");

        assertThatThrownBy(() -> PemFiles.readPrivateKey(file, null))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": private key is encrypted and no passphrase was given");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(file, "wrong".toCharArray()))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": cannot decrypt private key (wrong passphrase or damaged file)");
    }

    @Test
    void readsChainInOrderAndDerCertificateAndCrl() throws Exception {
        OpenSsl.ok(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "a.key",
                "-out",
                "a.crt",
                "-subj",
                "/CN=first",
                "-days",
                "2");
        OpenSsl.ok(
                dir,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "b.key",
                "-out",
                "b.crt",
                "-subj",
                "/CN=second",
                "-days",
                "2");
        Files.writeString(
                dir.resolve("chain.pem"),
                Files.readString(dir.resolve("a.crt")) + Files.readString(dir.resolve("b.crt")));
        OpenSsl.ok(dir, "x509", "-in", "a.crt", "-outform", "DER", "-out", "a.der");

        List<X509Certificate> chain = PemFiles.readCertificates(dir.resolve("chain.pem"));
        X509Certificate der = PemFiles.readCertificate(dir.resolve("a.der"));

        assertThat(chain)
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=first", "CN=second");
        assertThat(der).isEqualTo(chain.get(0));

        CertificateAuthority ca =
                CertificateAuthority.create("Test CA", KeyType.EC, Validity.days(1, java.time.Clock.systemUTC()));
        Files.writeString(
                dir.resolve("crl.pem"),
                PemEncoding.crl(ca.createCrl(
                        List.of(),
                        java.time.Instant.now(),
                        java.time.Instant.now().plusSeconds(3600),
                        java.math.BigInteger.ONE)));
        OpenSsl.ok(dir, "crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der");
        X509CRL pem = PemFiles.readCrl(dir.resolve("crl.pem"));
        assertThat(PemFiles.readCrl(dir.resolve("crl.der"))).isEqualTo(pem);
    }

    static Stream<Arguments> badFiles() {
        String key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBQ=\n-----END PRIVATE KEY-----\n";
        String cert = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        return Stream.of(
                Arguments.of(
                        "a key where a certificate belongs",
                        "ca.crt",
                        key,
                        "certificate",
                        "not a PEM certificate (found 'BEGIN PRIVATE KEY')"),
                Arguments.of(
                        "a certificate where a key belongs",
                        "ca.key",
                        cert,
                        "key",
                        "not a PEM private key (found 'BEGIN CERTIFICATE')"),
                Arguments.of(
                        "a certificate where a CRL belongs",
                        "crl.pem",
                        cert,
                        "crl",
                        "not a PEM CRL (found 'BEGIN CERTIFICATE')"),
                Arguments.of("an empty file", "ca.crt", "", "certificate", "empty file"),
                Arguments.of(
                        "text that is neither PEM nor DER",
                        "ca.crt",
                        "hello\n",
                        "certificate",
                        "not a PEM or DER certificate"),
                Arguments.of(
                        "plain text where a key belongs",
                        "ca.key",
                        "hello\n",
                        "key",
                        "not a PEM private key (found no PEM block)"),
                Arguments.of(
                        "a certificate block that is not DER",
                        "ca.crt",
                        cert,
                        "certificate",
                        "certificate 1 is damaged"),
                Arguments.of(
                        "bad base64 in a certificate block",
                        "ca.crt",
                        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
                        "certificate",
                        "malformed PEM"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileErrorsNameTheFile(String description, String name, String content, String kind, String problem)
            throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> read(kind, file))
                .isInstanceOf(PkiException.class)
                .message()
                .startsWith(file + ": " + problem);
    }

    @Test
    void aCaDirectoryIsReadFromItsPemCrtAndHashLinkFilesInNameOrder() throws Exception {
        Path capath = Files.createDirectory(dir.resolve("capath"));
        for (String name : List.of("b.pem", "a.crt", "9d66eef0.0")) {
            CertificateAuthority ca =
                    CertificateAuthority.create(name, KeyType.EC, Validity.days(1, Clock.systemUTC()));
            PkiFiles.writeCertificates(capath.resolve(name), List.of(ca.certificate()), WriteMode.CREATE_NEW);
        }
        Files.writeString(capath.resolve("README.txt"), "not a certificate, not read\n", StandardCharsets.UTF_8);
        Files.writeString(capath.resolve("ca.key"), "not read either\n", StandardCharsets.UTF_8);

        assertThat(PemFiles.readCertificateDirectory(capath))
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=9d66eef0.0", "CN=a.crt", "CN=b.pem");
        assertThat(PemFiles.readCertificateDirectory(Files.createDirectory(dir.resolve("empty"))))
                .isEmpty();
    }

    @Test
    void aMissingCaDirectoryAndABadFileInOneAreNamed() throws Exception {
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> PemFiles.readCertificateDirectory(absent))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith(absent + ": cannot read the CA directory (");
        Path capath = Files.createDirectory(dir.resolve("capath"));
        Path bad =
                Files.writeString(capath.resolve("bad.pem"), "-----BEGIN PRIVATE KEY-----\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PemFiles.readCertificateDirectory(capath))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith(bad + ": ");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.crt");

        assertThatThrownBy(() -> PemFiles.readCertificates(file))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": no such file");
    }

    private static Object read(String kind, Path file) throws PkiException {
        return switch (kind) {
            case "certificate" -> PemFiles.readCertificates(file);
            case "key" -> PemFiles.readPrivateKey(file, null);
            case "crl" -> PemFiles.readCrl(file);
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
