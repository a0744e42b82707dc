package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.WriteMode;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "crl",
        description = {
            "Write a fresh DIR/crl.pem listing every revoked certificate.",
            "Run it before the CRL's nextUpdate (see pki list): after it, TLS peers checking the CRL refuse everyone."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class CrlCommand extends PkiSubcommand {

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
    Path directory;

    @Option(
            names = "--crl-days",
            paramLabel = "N",
            description = "Days until the CRL's nextUpdate (default: " + "${DEFAULT-VALUE}).")
    int crlDays = CaDirectory.DEFAULT_CRL_DAYS;

    @ArgGroup(exclusive = true)
    @Nullable
    PassphraseOptions passphrase;

    @Override
    int run() throws PkiException {
        CaDirectory directory = CaDirectory.at(this.directory);
        CertificateAuthority ca = openCa(directory, passphrase);
        X509CRL crl = directory.writeCrl(ca, crlDays, WriteMode.REPLACE);
        out().printf(
                        "Wrote %s: %d revoked, next update %s%n",
                        directory.file(CaDirectory.CRL),
                        crl.getRevokedCertificates() == null
                                ? 0
                                : crl.getRevokedCertificates().size(),
                        crl.getNextUpdate().toInstant());
        return PkiCommand.OK;
    }
}
