package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.CertificateIdentity;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Mosquitto's {@code use_identity_as_username} (the certificate's CN) and {@code use_subject_as_username} (the whole
 * subject, RFC 2253 order as OpenSSL prints it with {@code XN_FLAG_RFC2253}).
 */
enum CertificateUsername {
    NONE,
    COMMON_NAME,
    SUBJECT;

    /** The username this certificate gives, if it gives one. */
    Optional<String> of(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        return switch (this) {
            case NONE -> Optional.empty();
            case SUBJECT -> Optional.of(subject).filter(s -> !s.isEmpty());
            case COMMON_NAME -> commonName(subject);
        };
    }

    private static Optional<String> commonName(String subject) {
        try {
            // The string lists the most specific name first (RFC 2253); take the first CN in it.
            // LdapName keeps the RDNs in reverse order of the string: index 0 is the least specific.
            List<Rdn> rdns = new LdapName(subject).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdns.get(i).getValue().toString()).filter(s -> !s.isEmpty());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    static CertificateIdentity identityOf(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new CertificateIdentity(subject, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a verified certificate", e);
        }
    }
}
