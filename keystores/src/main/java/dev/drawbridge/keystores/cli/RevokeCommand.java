package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.RevokedCertificate;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "revoke",
        description = {
            "Revoke DIR/NAME.crt: record it in revoked.txt and write a new crl.pem.",
            "The broker refuses it once it reloads crl.pem; NAME can then be reissued with --force."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class RevokeCommand extends PkiSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "Name given to server or client.")
    String name;

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
        RevokedCertificate revoked = directory.revoke(ca, name, crlDays);
        out().printf(
                        "Revoked %s (serial %s); wrote %s%n",
                        directory.certificateFile(name),
                        revoked.serialNumber().toString(16).toUpperCase(Locale.ROOT),
                        directory.file(CaDirectory.CRL));
        return PkiCommand.OK;
    }
}
