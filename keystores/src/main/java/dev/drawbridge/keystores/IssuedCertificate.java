package dev.drawbridge.keystores;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A freshly generated private key with the certificate a {@link CertificateAuthority} issued for it. */
public record IssuedCertificate(PrivateKey key, X509Certificate certificate) {

    /** The key with the chain {@code certificate, caCertificate}, as a TLS peer presents it. */
    public KeyMaterial withChain(X509Certificate caCertificate) {
        return new KeyMaterial(key, List.of(certificate, caCertificate));
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
