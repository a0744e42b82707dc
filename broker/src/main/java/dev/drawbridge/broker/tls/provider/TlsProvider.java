package dev.drawbridge.broker.tls.provider;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation that does the TLS of the listeners and of the bridges' connections, chosen with
 * {@code -Ddrawbridge.tls.provider=}:
 *
 * <ul>
 *   <li>{@code openssl}: BoringSSL through netty-tcnative (the jar carries it for Linux x86_64 and aarch64); refuses to
 *       start where the native library does not load or a listener sets {@code ciphers_tls1.3}, which BoringSSL
 *       cannot restrict;
 *   <li>{@code jdk}: the JDK's {@code SSLEngine}, everywhere;
 *   <li>{@code auto} (the default): OpenSSL, which completes about three times the full handshakes per second of the
 *       JDK on a fifth (RSA) to a third (EC) of the CPU (bench/README.md), and the JDK where OpenSSL is not available
 *       (32-bit ARM, musl) or for a listener with {@code ciphers_tls1.3}.
 * </ul>
 *
 * Both take the same key, chain, trust manager (CAs and CRL), versions and cipher names. Which one serves is logged
 * once per process, with the reason.
 */
public final class TlsProvider {

    public static final String PROPERTY = "drawbridge.tls.provider";

    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private enum Mode {
        JDK,
        OPENSSL,
        AUTO
    }

    private TlsProvider() {}

    /**
     * The provider for one TLS context, from the system property; logs the process-wide choice the first time.
     *
     * @param user what the context is for, as a log line starts it ({@code The TLS listener with certfile F})
     * @param restrictsTls13 the context sets {@code ciphers_tls1.3}, which only the JDK can honour
     */
    public static SslProvider choose(String user, boolean restrictsTls13) throws TlsProviderException {
        String value = System.getProperty(PROPERTY, "auto");
        Mode mode = mode(value);
        return switch (mode) {
            case JDK -> chosen(SslProvider.JDK, "-D" + PROPERTY + "=jdk");
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new TlsProviderException("-D" + PROPERTY + "=openssl: OpenSSL is not available here ("
                            + unavailability() + "); use jdk or auto");
                }
                if (restrictsTls13) {
                    throw new TlsProviderException(
                            "ciphers_tls1.3 needs the JDK TLS provider (BoringSSL always offers all"
                                    + " TLS 1.3 suites): -D" + PROPERTY + "=openssl cannot honour it, use jdk or auto");
                }
                yield chosen(SslProvider.OPENSSL, "-D" + PROPERTY + "=openssl");
            }
            case AUTO -> {
                if (!OpenSsl.isAvailable()) {
                    yield chosen(SslProvider.JDK, "auto, and OpenSSL is not available here: " + unavailability());
                }
                if (restrictsTls13) {
                    LOG.info(
                            "{} uses the JDK TLS provider: it sets ciphers_tls1.3, which BoringSSL cannot restrict.",
                            user);
                    yield SslProvider.JDK;
                }
                yield chosen(
                        SslProvider.OPENSSL, "auto, the faster at handshakes (-D" + PROPERTY + "=jdk for the JDK's)");
            }
        };
    }

    private static Mode mode(String value) throws TlsProviderException {
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TlsProviderException(
                    "-D" + PROPERTY + ": expected jdk, openssl or auto, found '" + value + "'", e);
        }
    }

    private static SslProvider chosen(SslProvider provider, String why) {
        if (LOGGED.compareAndSet(false, true)) {
            if (provider == SslProvider.OPENSSL) {
                LOG.info("TLS provider: OpenSSL ({} via netty-tcnative): {}.", OpenSsl.versionString(), why);
            } else {
                LOG.info("TLS provider: JDK ({} {}): {}.", System.getProperty("java.vendor"), Runtime.version(), why);
            }
        }
        return provider;
    }

    private static String unavailability() {
        Throwable cause = OpenSsl.unavailabilityCause();
        // The loader's message lists every path it tried, one per line: the first line says what failed.
        return cause == null
                ? "no reason given"
                : String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
    }
}
