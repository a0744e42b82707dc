package dev.drawbridge.broker.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link ConsoleCertificateLoginIT} again with {@code -Ddrawbridge.tls.provider=openssl}: the console's
 * HTTPS listener on BoringSSL (netty-tcnative), which checks the browser's certificate through the same trust manager
 * (CAs and CRL) and hands the console the same peer certificate. With {@code openssl} the broker uses OpenSSL or
 * refuses to start, so the tests ran on it.
 */
class ConsoleCertificateLoginOpenSslIT extends ConsoleCertificateLoginIT {

    ConsoleCertificateLoginOpenSslIT() {
        super("openssl", OpenSslContext.class);
    }

    @BeforeAll
    static void openSslLoads() {
        // The broker's jar carries BoringSSL for Linux x86_64 and aarch64, where these tests run.
        assertThat(OpenSsl.isAvailable())
                .as("OpenSSL (netty-tcnative) loads here: %s", OpenSsl.unavailabilityCause())
                .isTrue();
    }
}
