package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "init",
        description = "Create a CA in DIR: ca.crt, ca.key (0600, optionally encrypted) and an empty crl.pem.")
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class InitCommand extends PkiSubcommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory of the CA; created when missing.")
    Path directory;

    @Option(names = "--cn", paramLabel = "NAME", description = "Common name of the CA (default: ${DEFAULT-VALUE}).")
    String commonName = "Drawbridge CA";

    @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days = 3650;

    @Option(
            names = "--key-type",
            paramLabel = "rsa|ec",
            converter = KeyTypeConverter.class,
            description = "RSA 2048 or EC P-256 (default: rsa).")
    KeyType keyType = KeyType.RSA;

    @Option(
            names = "--encrypt-key",
            description = "Encrypt ca.key (PKCS#8, AES-256) with a passphrase from --passphrase-env,"
                    + " --passphrase-file or the terminal.")
    boolean encryptKey;

    @ArgGroup(exclusive = true)
    @Nullable
    PassphraseOptions passphrase;

    @Option(names = "--force", description = "Replace an existing CA (every certificate it issued stops working).")
    boolean force;

    @Override
    int run() throws PkiException {
        if (passphrase != null && !encryptKey) {
            throw new PkiException("--passphrase-env and --passphrase-file need --encrypt-key");
        }
        CaDirectory ca = CaDirectory.at(directory);
        char[] secret = encryptKey ? PassphraseOptions.resolve(passphrase, pki, true) : null;
        CertificateAuthority created;
        try {
            created = ca.init(commonName, keyType, days, secret, mode(force));
        } finally {
            Secrets.wipe(secret);
        }
        out().printf(
                        "Created CA '%s' in %s%n  %s%n  %s%s%n  %s%nSHA-256 fingerprint: %s%n",
                        created.certificate().getSubjectX500Principal().getName(),
                        directory,
                        ca.file(CaDirectory.CA_CERTIFICATE),
                        ca.file(CaDirectory.CA_KEY),
                        encryptKey ? " (encrypted)" : "",
                        ca.file(CaDirectory.CRL),
                        Fingerprints.of(created.certificate(), FingerprintAlgorithm.SHA256, FingerprintFormat.COLON));
        return PkiCommand.OK;
    }
}
