package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "server",
        description = {
            "Issue a TLS server certificate DIR/NAME.crt with key DIR/NAME.key (0600).",
            "Clients check the DNS names and IP addresses it lists; without --dns, NAME is its DNS name."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class ServerCommand extends PkiSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "Common name and file name, e.g. mqtt.local.")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
    Path directory;

    @Option(names = "--dns", split = ",", paramLabel = "NAME", description = "DNS name(s) clients connect to.")
    List<String> dnsNames = new ArrayList<>();

    @Option(names = "--ip", split = ",", paramLabel = "ADDRESS", description = "IP address(es) clients connect to.")
    List<String> ipAddresses = new ArrayList<>();

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
        List<String> dns = dnsNames.isEmpty() ? List.of(name) : dnsNames;
        CertificateAuthority ca = openCa(directory, passphrase);
        IssuedCertificate issued = directory.issueServer(ca, name, dns, ipAddresses, keyType, days, mode(force));
        Issued.print(out(), "server", directory, name, issued);
        return PkiCommand.OK;
    }
}
