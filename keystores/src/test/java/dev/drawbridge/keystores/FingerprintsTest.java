package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FingerprintsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "COLON   | 0A:FF:10 | upper-case bytes joined by colons, as openssl prints",
                "HEX     | 0aff10   | lower-case, no separators",
                "ESP8266 | 0A FF 10 | upper-case bytes joined by single spaces, as a sketch wants",
            })
    void formatsBytes(FingerprintFormat format, String expected, String description) {
        assertThat(format.format(new byte[] {0x0a, (byte) 0xff, 0x10}))
                .as(description)
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(FingerprintAlgorithm.class)
    void agreesWithOpensslInEveryFormat(FingerprintAlgorithm algorithm) throws Exception {
        CertificateAuthority ca =
                CertificateAuthority.create("Drawbridge CA", KeyType.EC, Validity.days(1, Clock.systemUTC()));
        X509Certificate certificate = ca.issueServer(new ServerCertificateRequest(
                        "mqtt.local",
                        List.of("mqtt.local"),
                        List.of(),
                        KeyType.EC,
                        Validity.days(1, Clock.systemUTC())))
                .certificate();
        Files.writeString(dir.resolve("mqtt.crt"), PemEncoding.certificates(List.of(certificate)));
        String flag = "-" + algorithm.name().toLowerCase(Locale.ROOT);

        String openssl = OpenSsl.ok(dir, "x509", "-in", "mqtt.crt", "-noout", "-fingerprint", flag)
                .strip();
        String colon = openssl.substring(openssl.indexOf('=') + 1);

        assertThat(Fingerprints.of(certificate, algorithm, FingerprintFormat.COLON))
                .isEqualTo(colon);
        assertThat(Fingerprints.of(certificate, algorithm, FingerprintFormat.HEX))
                .isEqualTo(colon.replace(":", "").toLowerCase(Locale.ROOT));
        assertThat(Fingerprints.of(certificate, algorithm, FingerprintFormat.ESP8266))
                .isEqualTo(colon.replace(':', ' '));
        assertThat(Fingerprints.digest(certificate, algorithm))
                .hasSize(algorithm == FingerprintAlgorithm.SHA1 ? 20 : 32);
    }
}
