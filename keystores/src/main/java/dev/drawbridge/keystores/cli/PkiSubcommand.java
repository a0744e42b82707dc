package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.WriteMode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every {@code pki} subcommand shares: errors become one line on standard error and exit code 3. */
@SuppressWarnings("NullAway.Init") // picocli sets the fields
abstract class PkiSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    PkiCommand pki;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (PkiException | IllegalArgumentException e) {
            err().println("pki " + spec.name() + ": " + e.getMessage());
            return PkiCommand.FAILED;
        }
    }

    abstract int run() throws PkiException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static WriteMode mode(boolean force) {
        return force ? WriteMode.REPLACE : WriteMode.CREATE_NEW;
    }

    /** Opens the CA, asking for its passphrase only when {@code ca.key} is encrypted. */
    CertificateAuthority openCa(CaDirectory directory, @Nullable PassphraseOptions passphrase) throws PkiException {
        if (!directory.caKeyEncrypted()) {
            return directory.open(null);
        }
        char[] secret = PassphraseOptions.resolve(passphrase, pki, false);
        try {
            return directory.open(secret);
        } finally {
            Secrets.wipe(secret);
        }
    }
}
