package dev.drawbridge.keystores;

import java.math.BigInteger;
import java.time.Instant;

/** One entry of a CRL: the serial number of a revoked certificate and when it was revoked. */
public record RevokedCertificate(BigInteger serialNumber, Instant revokedAt) {

    public RevokedCertificate {
        if (serialNumber.signum() <= 0) {
            throw new IllegalArgumentException("revoked certificate: serial must be positive, found " + serialNumber);
        }
    }
}
