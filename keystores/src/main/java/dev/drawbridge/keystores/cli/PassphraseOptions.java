package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the CA key's passphrase comes from; without either option it is asked for at the terminal. */
final class PassphraseOptions {

    @Option(
            names = "--passphrase-env",
            paramLabel = "VAR",
            description = "Read the CA key passphrase from environment variable VAR.")
    @Nullable
    String environmentVariable;

    @Option(
            names = "--passphrase-file",
            paramLabel = "FILE",
            description = "Read the CA key passphrase from the first line of FILE.")
    @Nullable
    Path file;

    static char[] resolve(@Nullable PassphraseOptions options, PkiCommand pki, boolean confirm) throws PkiException {
        return Secrets.resolve(
                pki,
                options == null ? null : options.environmentVariable,
                options == null ? null : options.file,
                "CA key passphrase",
                "--passphrase-env",
                "--passphrase-file",
                confirm);
    }
}
