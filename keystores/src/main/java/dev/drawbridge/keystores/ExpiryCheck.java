package dev.drawbridge.keystores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Lists the certificates in a directory with their expiry. Reads every {@code *.crt}, {@code *.cer} and
 * {@code *.pem} file that holds a certificate (its first one); when the directory has a {@code crl.pem} signed by
 * its {@code ca.crt}, certificates listed there are marked revoked.
 */
public final class ExpiryCheck {

    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

    private ExpiryCheck() {}

    public static ExpiryReport scan(Path directory, Instant now) throws PkiException {
        List<String> problems = new ArrayList<>();
        X509CRL crl = crl(directory, problems);
        List<CertificateStatus> certificates = new ArrayList<>();
        for (Path file : candidates(directory)) {
            try {
                if (file.getFileName().toString().endsWith(".pem")
                        && !new String(PemFiles.readBytes(file), StandardCharsets.ISO_8859_1)
                                .contains("-----BEGIN CERTIFICATE-----")) {
                    continue;
                }
                certificates.add(status(file, PemFiles.readCertificate(file), crl, now));
            } catch (PkiException e) {
                problems.add(e.getMessage());
            }
        }
        Optional<Instant> nextUpdate =
                Optional.ofNullable(crl).map(X509CRL::getNextUpdate).map(Date::toInstant);
        return new ExpiryReport(now, certificates, nextUpdate, problems);
    }

    private static List<Path> candidates(Path directory) throws PkiException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> {
                        String name = file.getFileName().toString();
                        return name.endsWith(".crt") || name.endsWith(".cer") || name.endsWith(".pem");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw PkiException.forFile(directory, "cannot list directory (" + e + ")", e);
        }
    }

    private static @Nullable X509CRL crl(Path directory, List<String> problems) {
        Path crlFile = directory.resolve(CaDirectory.CRL);
        Path caFile = directory.resolve(CaDirectory.CA_CERTIFICATE);
        if (!Files.exists(crlFile)) {
            return null;
        }
        try {
            X509CRL crl = PemFiles.readCrl(crlFile);
            if (Files.exists(caFile)) {
                crl.verify(PemFiles.readCertificate(caFile).getPublicKey());
            }
            return crl;
        } catch (PkiException e) {
            problems.add(e.getMessage());
        } catch (GeneralSecurityException e) {
            problems.add(crlFile + ": not signed by " + caFile + ", ignored");
        }
        return null;
    }

    private static CertificateStatus status(
            Path file, X509Certificate certificate, @Nullable X509CRL crl, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        long daysLeft = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), SECONDS_PER_DAY);
        boolean revoked = crl != null
                && crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                && crl.isRevoked(certificate);
        return new CertificateStatus(
                file,
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                alternativeNames(certificate),
                certificate.getSerialNumber(),
                notAfter,
                daysLeft,
                revoked);
    }

    /** Subject alternative names as {@code DNS:mqtt.local} and {@code IP:192.168.1.10}. */
    static List<String> alternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries == null) {
                return names;
            }
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                String prefix = type == 2 ? "DNS:" : type == 7 ? "IP:" : type == 1 ? "email:" : "other:";
                names.add(prefix + entry.get(1));
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable");
        }
        return names;
    }
}
