package dev.drawbridge.broker.cli;

import dev.drawbridge.keystores.cli.PkiCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code java -jar drawbridge.jar}: the broker, or one of its tools ({@code passwd}, {@code pki}). The tools are
 * dispatched by hand because {@code passwd} keeps {@code mosquitto_passwd}'s own argument rules.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int status = run(args);
        if (status != BrokerCommand.KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status, or {@link BrokerCommand#KEEP_RUNNING} for a started broker. */
    static int run(String... args) {
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        if (args.length > 0 && args[0].equals("passwd")) {
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return new PasswdTool(System.console(), stdin, System.out, System.err).run(rest);
        }
        if (args.length > 0 && args[0].equals("pki")) {
            return new CommandLine(new PkiCommand())
                    .addSubcommand(new QuickstartCommand())
                    .execute(rest.toArray(String[]::new));
        }
        BrokerCommand plain = PlainBrokerArguments.parse(args);
        if (plain != null) {
            try {
                return plain.call();
            } catch (RuntimeException e) {
                // As picocli's exitCodeOnExecutionException: the trace on stderr, exit status 1.
                e.printStackTrace();
                return 1;
            }
        }
        CommandLine cli = new CommandLine(new BrokerCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }
}
