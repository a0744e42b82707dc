package dev.drawbridge.broker.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificate chain a listener sends: the {@code certfile}'s certificates, completed with the intermediate CAs
 * found in {@code cafile}/{@code capath} when the file holds only the leaf (or stops short of a root). OpenSSL does the
 * same for Mosquitto, so a server certificate signed by an intermediate CA verifies at a client that trusts only the
 * root. The self-signed root itself is not sent: the client must already have it.
 */
final class ServerChain {

    /** Far more than any real chain; stops a loop of CAs that sign each other. */
    private static final int MAX_LENGTH = 10;

    private ServerChain() {}

    static List<X509Certificate> complete(List<X509Certificate> fromCertfile, List<X509Certificate> authorities) {
        List<X509Certificate> chain = new ArrayList<>(fromCertfile);
        X509Certificate last = chain.get(chain.size() - 1);
        while (!selfSigned(last) && chain.size() < MAX_LENGTH) {
            Optional<X509Certificate> issuer = issuerOf(last, authorities);
            if (issuer.isEmpty() || selfSigned(issuer.get()) || chain.contains(issuer.get())) {
                break;
            }
            chain.add(issuer.get());
            last = issuer.get();
        }
        return List.copyOf(chain);
    }

    private static Optional<X509Certificate> issuerOf(X509Certificate certificate, List<X509Certificate> authorities) {
        return authorities.stream()
                .filter(ca -> ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()))
                .filter(ca -> signedBy(certificate, ca))
                .findFirst();
    }

    private static boolean selfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                && signedBy(certificate, certificate);
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false; // another CA with the same name, or not a CA of this chain: not the issuer
        }
    }
}
