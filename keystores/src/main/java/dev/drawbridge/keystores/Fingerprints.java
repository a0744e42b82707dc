package dev.drawbridge.keystores;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/** Fingerprints of certificates: a digest of the DER encoding, the same bytes {@code openssl x509} hashes. */
public final class Fingerprints {

    private Fingerprints() {}

    /** The fingerprint of {@code certificate}, e.g. {@code of(cert, SHA1, ESP8266)} gives {@code "AB CD .. 12"}. */
    public static String of(X509Certificate certificate, FingerprintAlgorithm algorithm, FingerprintFormat format) {
        return format.format(digest(certificate, algorithm));
    }

    /** The raw digest of the certificate's DER encoding. */
    public static byte[] digest(X509Certificate certificate, FingerprintAlgorithm algorithm) {
        try {
            return algorithm.digest(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(
                    "cannot encode certificate "
                            + certificate.getSubjectX500Principal().getName(),
                    e);
        }
    }
}
