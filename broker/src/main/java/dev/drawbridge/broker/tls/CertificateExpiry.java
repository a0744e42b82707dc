package dev.drawbridge.broker.tls;

import dev.drawbridge.broker.conf.TlsConfig;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificates close to or past their end: an expired server or CA certificate stops the broker from starting (every
 * client would be refused or, worse, trained to ignore errors); one that ends within 30 days is warned about at start
 * and every day.
 */
public final class CertificateExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiry.class);
    public static final Duration WARN_BEFORE = Duration.ofDays(30);

    private CertificateExpiry() {}

    static void refuseExpired(ServerTls.Loaded loaded, TlsConfig config, Clock clock) throws TlsException {
        Instant now = clock.instant();
        if (loaded.serverCertificate().getNotAfter().toInstant().isBefore(now)) {
            throw new TlsException(config.certfile() + ": the server certificate expired on "
                    + loaded.serverCertificate().getNotAfter().toInstant());
        }
        for (X509Certificate ca : loaded.authorities()) {
            if (ca.getNotAfter().toInstant().isBefore(now)) {
                throw new TlsException(config.cafile().map(Object::toString).orElse("capath") + ": the CA certificate "
                        + ca.getSubjectX500Principal().getName() + " expired on "
                        + ca.getNotAfter().toInstant());
            }
        }
    }

    /** Logs a warning for each certificate of this listener that ends within {@link #WARN_BEFORE}. */
    public static void warnIfEndingSoon(ServerTls tls, Clock clock) {
        ServerTls.Loaded loaded = tls.current();
        warn(tls.config().certfile().toString(), loaded.serverCertificate(), clock);
        for (X509Certificate ca : loaded.authorities()) {
            warn(tls.config().cafile().map(Object::toString).orElse("capath"), ca, clock);
        }
    }

    private static void warn(String file, X509Certificate certificate, Clock clock) {
        Instant end = certificate.getNotAfter().toInstant();
        Duration left = Duration.between(clock.instant(), end);
        if (left.compareTo(WARN_BEFORE) < 0) {
            LOG.warn(
                    "Certificate {} in {} expires on {} ({} days left): renew it (java -jar drawbridge.jar pki).",
                    certificate.getSubjectX500Principal().getName(),
                    file,
                    end,
                    Math.max(0, (left.toHours() + 23) / 24));
        }
    }
}
