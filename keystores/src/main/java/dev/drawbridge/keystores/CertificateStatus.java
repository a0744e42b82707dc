package dev.drawbridge.keystores;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One certificate found by {@link ExpiryCheck}: where it is, who it names, when it expires.
 *
 * @param daysLeft whole days until {@code notAfter}, rounded down; negative once expired
 * @param revoked listed in the directory's CRL
 */
public record CertificateStatus(
        Path file,
        String subject,
        List<String> subjectAlternativeNames,
        BigInteger serialNumber,
        Instant notAfter,
        long daysLeft,
        boolean revoked) {

    public CertificateStatus {
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    }

    public boolean expired() {
        return daysLeft < 0;
    }

    /** Expired, or expiring in fewer than {@code days} whole days. */
    public boolean expiresWithin(int days) {
        return daysLeft < days;
    }

    /** The serial as upper-case hex, as {@code openssl x509 -serial} prints it. */
    public String serialHex() {
        return serialHex(serialNumber);
    }

    static String serialHex(BigInteger serial) {
        byte[] bytes = serial.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return HexFormat.of().formatHex(bytes, start, bytes.length).toUpperCase(Locale.ROOT);
    }
}
