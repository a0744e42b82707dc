package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "client",
        description = "Issue a TLS client certificate DIR/NAME.crt (CN=NAME) with key DIR/NAME.key (0600).")
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class ClientCommand extends PkiSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "Common name and file name, e.g. garage.local.")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
    Path directory;

    @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days = 825;

    @Option(
            names = "--key-type",
            paramLabel = "rsa|ec",
            converter = KeyTypeConverter.class,
            description = "RSA 2048 or EC P-256 (default: rsa).")
    KeyType keyType = KeyType.RSA;

    @Option(names = "--force", description = "Replace an existing NAME.crt and NAME.key.")
    boolean force;

    @ArgGroup(exclusive = true)
    @Nullable
    PassphraseOptions passphrase;

    @Override
    int run() throws PkiException {
        CaDirectory directory = CaDirectory.at(this.directory);
        CertificateAuthority ca = openCa(directory, passphrase);
        IssuedCertificate issued = directory.issueClient(ca, name, keyType, days, mode(force));
        Issued.print(out(), "client", directory, name, issued);
        return PkiCommand.OK;
    }
}
