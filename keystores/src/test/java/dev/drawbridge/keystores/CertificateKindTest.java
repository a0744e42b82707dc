package dev.drawbridge.keystores;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateKindTest {

    private static final Validity YEAR = Validity.days(365, Clock.systemUTC());

    @Test
    void theExtensionsSayWhatACertificateIsFor() {
        CertificateAuthority ca = CertificateAuthority.create("Home CA", KeyType.EC, YEAR);
        IssuedCertificate server = ca.issueServer(
                new ServerCertificateRequest("mqtt.local", List.of("mqtt.local"), List.of(), KeyType.EC, YEAR));
        IssuedCertificate device = ca.issueClient("garage", KeyType.EC, YEAR);

        assertThat(CertificateKind.of(ca.certificate())).as("CA:true").isEqualTo(CertificateKind.CA);
        assertThat(CertificateKind.of(server.certificate())).as("serverAuth").isEqualTo(CertificateKind.SERVER);
        assertThat(CertificateKind.of(device.certificate())).as("clientAuth").isEqualTo(CertificateKind.CLIENT);
    }
}
