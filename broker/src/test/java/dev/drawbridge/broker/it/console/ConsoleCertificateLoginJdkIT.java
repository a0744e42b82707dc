package dev.drawbridge.broker.it.console;

import io.netty.handler.ssl.JdkSslContext;

/**
 * Every test of {@link ConsoleCertificateLoginIT} with {@code -Ddrawbridge.tls.provider=jdk}: the console's HTTPS
 * listener on the JDK's {@code SSLEngine}, the provider where OpenSSL does not load (32-bit ARM, musl). The default
 * ({@code auto}) picks OpenSSL wherever it loads, so without this class the JDK side of the console's certificate login
 * would go untested there.
 */
class ConsoleCertificateLoginJdkIT extends ConsoleCertificateLoginIT {

    ConsoleCertificateLoginJdkIT() {
        super("jdk", JdkSslContext.class);
    }
}
