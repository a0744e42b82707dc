package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A listener's TLS options, with Mosquitto's names.
 *
 * @param refuseIdentityTakeover Drawbridge's {@code refuse_identity_takeover}: with certificate names, a client id
 *     held by another certificate identity is refused (default true); only used with a certificate name option
 * @param tlsVersions the protocol versions allowed, strongest first ({@code TLSv1.3}, {@code TLSv1.2})
 */
public record TlsConfig(
        Optional<Path> cafile,
        Optional<Path> capath,
        Path certfile,
        Path keyfile,
        Optional<String> keyPassword,
        boolean requireCertificate,
        boolean useIdentityAsUsername,
        boolean useSubjectAsUsername,
        boolean refuseIdentityTakeover,
        List<String> tlsVersions,
        Optional<String> ciphers,
        Optional<String> ciphersTls13,
        Optional<Path> crlfile) {

    public TlsConfig {
        tlsVersions = List.copyOf(tlsVersions);
    }

    @Override
    public String toString() {
        // The key password must never reach a log through a record's toString.
        return "TlsConfig[certfile=" + certfile + ", keyfile=" + keyfile + ", cafile=" + cafile.orElse(null)
                + ", requireCertificate=" + requireCertificate + ", tlsVersions=" + tlsVersions + "]";
    }
}
