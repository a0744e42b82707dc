package dev.drawbridge.keystores;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ExpiryCheck} found in a directory: every certificate, when the CRL must be renewed, and the files that
 * could not be read.
 *
 * @param crlNextUpdate the CRL's nextUpdate; after it, {@code openssl verify -crl_check} and Mosquitto refuse every
 *     client, so it counts as an expiry too
 */
public record ExpiryReport(
        Instant checkedAt,
        List<CertificateStatus> certificates,
        Optional<Instant> crlNextUpdate,
        List<String> problems) {

    public ExpiryReport {
        certificates = List.copyOf(certificates);
        problems = List.copyOf(problems);
    }

    /** Certificates not revoked that are expired or expire in fewer than {@code days} days. */
    public List<CertificateStatus> expiringWithin(int days) {
        return certificates.stream()
                .filter(status -> !status.revoked() && status.expiresWithin(days))
                .toList();
    }

    /** Whether the CRL's nextUpdate falls within {@code days} days. */
    public boolean crlExpiresWithin(int days) {
        return crlNextUpdate
                .map(next -> next.isBefore(checkedAt.plus(Duration.ofDays(days))))
                .orElse(false);
    }

    /** Whether anything that is not revoked needs renewing within {@code days} days. */
    public boolean anyExpiringWithin(int days) {
        return !expiringWithin(days).isEmpty() || crlExpiresWithin(days);
    }
}
