package dev.drawbridge.broker.console;

import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;

/** How the console names a client certificate that logs in (which {@code tls.PeerCertificate} found). */
final class ClientCertificate {

    private ClientCertificate() {}

    /** The subject, for the page and the log (never the whole certificate). */
    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }
}
