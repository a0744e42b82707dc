package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where a PKCS#12 export password comes from; without either option it is asked for at the terminal. */
final class PasswordOptions {

    @Option(
            names = "--password-env",
            paramLabel = "VAR",
            description = "Read the PKCS#12 password from environment variable VAR.")
    @Nullable
    String environmentVariable;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "Read the PKCS#12 password from the first line of FILE.")
    @Nullable
    Path file;

    static char[] resolve(@Nullable PasswordOptions options, PkiCommand pki) throws PkiException {
        return Secrets.resolve(
                pki,
                options == null ? null : options.environmentVariable,
                options == null ? null : options.file,
                "PKCS#12 password",
                "--password-env",
                "--password-file",
                true);
    }
}
