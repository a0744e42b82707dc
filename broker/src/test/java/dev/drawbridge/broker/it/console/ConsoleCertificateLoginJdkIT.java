package dev.drawbridge.broker.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.provider.TlsProvider;
import io.netty.handler.ssl.JdkSslContext;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link ConsoleCertificateLoginIT} again with {@code -Ddrawbridge.tls.provider=jdk}: the console's HTTPS
 * listener on the JDK's {@code SSLEngine}, the provider where OpenSSL does not load (32-bit ARM, musl). The default
 * ({@code auto}) picks OpenSSL wherever it loads, so without this class the JDK side of the console's certificate login
 * would go untested there.
 */
class ConsoleCertificateLoginJdkIT extends ConsoleCertificateLoginIT {

    private static @Nullable String providerBefore;

    @BeforeAll
    static void useJdk() {
        providerBefore = System.getProperty(TlsProvider.PROPERTY);
        System.setProperty(TlsProvider.PROPERTY, "jdk");
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
    void theConsolesTlsOptionsGetAJdkContext() throws Exception {
        TlsConfig console = ConfigParser.parse(dir.resolve("mosquitto.conf"))
                .consoles()
                .get(0)
                .listener()
                .tls()
                .orElseThrow();
        // As the broker loads a console's TLS: asking for a certificate, not requiring one.
        assertThat(ServerTls.load(console, Clock.systemUTC(), true).current().context())
                .isInstanceOf(JdkSslContext.class);
    }
}
