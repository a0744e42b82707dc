package dev.drawbridge.acl.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the authentication rules may know about a client's TLS certificate: never the certificate object itself.
 *
 * @param subject the subject distinguished name in RFC 2253 form, for example {@code CN=garage,O=Home}
 * @param sha256Fingerprint the SHA-256 fingerprint of the DER-encoded certificate as 64 lower-case hex digits
 */
public record CertificateIdentity(String subject, String sha256Fingerprint) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Normalises the fingerprint to lower case and checks that it is 64 hex digits. */
    public CertificateIdentity {
        Objects.requireNonNull(subject, "subject");
        sha256Fingerprint =
                Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint").toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(sha256Fingerprint).matches()) {
            throw new IllegalArgumentException(
                    "sha256Fingerprint: expected 64 hex digits, found '" + sha256Fingerprint + "'");
        }
    }
}
