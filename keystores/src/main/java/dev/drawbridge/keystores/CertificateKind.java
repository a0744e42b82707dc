package dev.drawbridge.keystores;

import java.security.cert.CertificateParsingException;
import java.util.List;

/** What a certificate is for, as its extensions say: a CA, a TLS server, a TLS client (a device), or neither. */
public enum CertificateKind {
    CA,
    SERVER,
    CLIENT,
    OTHER;

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /**
     * CA when basicConstraints says CA:true; else SERVER or CLIENT by the extended key usage ({@code serverAuth} wins
     * when both are listed, since a server certificate is the one a listener presents); OTHER without either.
     */
    public static CertificateKind of(java.security.cert.X509Certificate certificate) {
        if (certificate.getBasicConstraints() >= 0) {
            return CA;
        }
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return OTHER;
        }
        if (usages == null) {
            return OTHER;
        }
        if (usages.contains(SERVER_AUTH)) {
            return SERVER;
        }
        return usages.contains(CLIENT_AUTH) ? CLIENT : OTHER;
    }
}
