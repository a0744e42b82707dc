package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CaExports;
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
        name = "export",
        description = {
            "Write NAME's certificate and key as DER or PKCS#12, next to the originals.",
            "--der: NAME.der, NAME.key.der (PKCS#1/SEC1, 0600) and ca.der, e.g. for an ESP8266's flash;",
            "--p12: NAME.p12 (key, certificate and CA; 0600) protected by a password."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class ExportCommand extends PkiSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "Name given to server or client.")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
    Path directory;

    @Option(names = "--der", description = "Write DER files.")
    boolean der;

    @Option(
            names = "--p12",
            description =
                    "Write a PKCS#12 file; its password from --password-env," + " --password-file or the terminal.")
    boolean p12;

    @ArgGroup(exclusive = true)
    @Nullable
    PasswordOptions password;

    @Option(names = "--force", description = "Replace existing export files.")
    boolean force;

    @Override
    int run() throws PkiException {
        if (!der && !p12) {
            throw new PkiException("nothing to export: give --der, --p12 or both");
        }
        if (password != null && !p12) {
            throw new PkiException("--password-env and --password-file need --p12");
        }
        CaExports exports = new CaExports(CaDirectory.at(directory));
        List<Path> written = new ArrayList<>();
        if (der) {
            written.addAll(exports.der(name, mode(force)));
        }
        if (p12) {
            char[] secret = PasswordOptions.resolve(password, pki);
            try {
                written.add(exports.pkcs12(name, secret, mode(force)));
            } finally {
                Secrets.wipe(secret);
            }
        }
        out().println("Wrote");
        written.forEach(file -> out().println("  " + file));
        return PkiCommand.OK;
    }
}
