package dev.drawbridge.broker.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.provider.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link ConsoleCertificateLoginIT} again with {@code -Ddrawbridge.tls.provider=openssl}: the console's
 * HTTPS listener on BoringSSL (netty-tcnative), which checks the browser's certificate through the same trust manager
 * (CAs and CRL) and hands the console the same peer certificate. With {@code openssl} the broker uses OpenSSL or
 * refuses to start, so the tests above ran on it; the test below shows the context the console's TLS options get.
 */
class ConsoleCertificateLoginOpenSslIT extends ConsoleCertificateLoginIT {

    private static @Nullable String providerBefore;

    @BeforeAll
    static void useOpenSsl() {
        // The broker's jar carries BoringSSL for Linux x86_64 and aarch64, where these tests run.
        assertThat(OpenSsl.isAvailable())
                .as("OpenSSL (netty-tcnative) loads here: %s", OpenSsl.unavailabilityCause())
                .isTrue();
        providerBefore = System.getProperty(TlsProvider.PROPERTY);
        System.setProperty(TlsProvider.PROPERTY, "openssl");
    }

    @AfterAll
    static void restoreProvider() {
        if (providerBefore == null) {
            System.clearProperty(TlsProvider.PROPERTY);
        } else {
            System.setProperty(TlsProvider.PROPERTY, providerBefore);
        }
    }

    @Test
    void theConsolesTlsOptionsGetAnOpenSslContext() throws Exception {
        TlsConfig console = ConfigParser.parse(dir.resolve("mosquitto.conf"))
                .consoles()
                .get(0)
                .listener()
                .tls()
                .orElseThrow();
        // As the broker loads a console's TLS: asking for a certificate, not requiring one.
        assertThat(ServerTls.load(console, Clock.systemUTC(), true).current().context())
                .isInstanceOf(OpenSslContext.class);
    }
}
