package dev.drawbridge.keystores.cli;

import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pki}: a private CA for the broker and its devices, in place of a page of openssl commands. Register it with
 * {@code commandLine.addSubcommand(new PkiCommand())}; subcommands return these exit codes and never exit the JVM:
 * {@value #OK} done, {@value #EXPIRING} ({@code list} only) something expires within the warning period,
 * {@value #USAGE} bad command line, {@value #FAILED} the operation failed (the reason is on standard error).
 */
@Command(
        name = "pki",
        description = {
            "Private CA for TLS: server and client certificates, fingerprints, exports, expiry and revocation.",
            "A CA lives in one directory: ca.crt, ca.key (0600), NAME.crt, NAME.key (0600), crl.pem,"
                    + " revoked.txt, crlnumber, and exports NAME.der, NAME.key.der, ca.der, NAME.p12."
        },
        subcommands = {
            InitCommand.class,
            ServerCommand.class,
            ClientCommand.class,
            FingerprintCommand.class,
            ExportCommand.class,
            ListCommand.class,
            RevokeCommand.class,
            CrlCommand.class
        })
public final class PkiCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int EXPIRING = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;

    private final Function<String, @Nullable String> environment;
    private final SecretPrompt prompt;

    @Spec
    @SuppressWarnings("NullAway.Init") // set by picocli
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    /** Reads secrets from the process environment and the console. */
    public PkiCommand() {
        this(System::getenv, SecretPrompt.console());
    }

    /** For tests and embedding: where {@code --passphrase-env} looks and who is asked when nothing is given. */
    public PkiCommand(Function<String, @Nullable String> environment, SecretPrompt prompt) {
        this.environment = environment;
        this.prompt = prompt;
    }

    Function<String, @Nullable String> environment() {
        return environment;
    }

    SecretPrompt prompt() {
        return prompt;
    }

    /** {@code pki} without a subcommand prints its usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }
}
