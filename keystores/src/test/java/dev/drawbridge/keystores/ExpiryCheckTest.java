package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpiryCheckTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private CaDirectory pki;

    @BeforeEach
    void issue() throws Exception {
        pki = new CaDirectory(dir, Clock.fixed(NOW, ZoneOffset.UTC));
        CertificateAuthority ca = pki.init("Home CA", KeyType.EC, 3650, null, WriteMode.CREATE_NEW);
        pki.issueServer(
                ca, "mqtt.local", List.of("mqtt.local"), List.of("192.168.1.10"), KeyType.EC, 10, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "garage.local", KeyType.EC, 400, WriteMode.CREATE_NEW);
        pki.issueClient(ca, "old.local", KeyType.EC, 5, WriteMode.CREATE_NEW);
        pki.revoke(ca, "old.local", 60);
    }

    @Test
    void listsEveryCertificateWithDaysLeftAndRevocation() throws Exception {
        ExpiryReport report = ExpiryCheck.scan(dir, NOW);

        assertThat(report.problems()).isEmpty();
        assertThat(report.certificates())
                .extracting(
                        s -> s.file().getFileName().toString(),
                        CertificateStatus::subject,
                        CertificateStatus::daysLeft,
                        CertificateStatus::revoked)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ca.crt", "CN=Home CA", 3650L, false),
                        org.assertj.core.groups.Tuple.tuple("garage.local.crt", "CN=garage.local", 400L, false),
                        org.assertj.core.groups.Tuple.tuple("mqtt.local.crt", "CN=mqtt.local", 10L, false),
                        org.assertj.core.groups.Tuple.tuple("old.local.crt", "CN=old.local", 5L, true));
        CertificateStatus mqtt = report.certificates().get(2);
        assertThat(mqtt.subjectAlternativeNames()).containsExactly("DNS:mqtt.local", "IP:192.168.1.10");
        assertThat(mqtt.serialHex()).matches("[0-9A-F]+");
        assertThat(mqtt.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(10)));
        assertThat(report.crlNextUpdate()).contains(NOW.plus(Duration.ofDays(60)));
    }

    @Test
    void warnsWithinTheGivenDaysIgnoringRevoked() throws Exception {
        ExpiryReport report = ExpiryCheck.scan(dir, NOW);

        assertThat(report.expiringWithin(30))
                .extracting(CertificateStatus::subject)
                .containsExactly("CN=mqtt.local");
        assertThat(report.anyExpiringWithin(30)).isTrue();
        assertThat(report.anyExpiringWithin(10))
                .as("exactly 10 days left is not within 10")
                .isFalse();
        assertThat(report.anyExpiringWithin(61))
                .as("the CRL's nextUpdate counts")
                .isTrue();
    }

    @Test
    void expiredCertificatesHaveNegativeDaysLeft() throws Exception {
        ExpiryReport report =
                ExpiryCheck.scan(dir, NOW.plus(Duration.ofDays(10)).plusSeconds(1));

        CertificateStatus mqtt = report.certificates().get(2);
        assertThat(mqtt.daysLeft()).isEqualTo(-1);
        assertThat(mqtt.expired()).isTrue();
    }

    @Test
    void unreadableFilesAreReportedAndKeyPemFilesSkipped() throws Exception {
        Files.copy(pki.keyFile("garage.local"), dir.resolve("stray.pem"));
        Files.copy(pki.keyFile("garage.local"), dir.resolve("broken.crt"));

        ExpiryReport report = ExpiryCheck.scan(dir, NOW);

        assertThat(report.problems())
                .containsExactly(dir.resolve("broken.crt") + ": not a PEM certificate (found 'BEGIN PRIVATE KEY')");
        assertThat(report.certificates()).hasSize(4);
    }

    @Test
    void crlNotSignedByTheCaIsIgnoredWithAProblem() throws Exception {
        CertificateAuthority other =
                CertificateAuthority.create("Other CA", KeyType.EC, Validity.days(1, Clock.systemUTC()));
        Files.writeString(
                dir.resolve("crl.pem"),
                PemEncoding.crl(other.createCrl(List.of(), NOW, NOW.plusSeconds(60), java.math.BigInteger.ONE)));

        ExpiryReport report = ExpiryCheck.scan(dir, NOW);

        assertThat(report.problems())
                .containsExactly(dir.resolve("crl.pem") + ": not signed by " + dir.resolve("ca.crt") + ", ignored");
        assertThat(report.certificates()).noneMatch(CertificateStatus::revoked);
    }
}
