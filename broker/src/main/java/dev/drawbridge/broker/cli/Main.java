package dev.drawbridge.broker.cli;

import picocli.CommandLine;

/** {@code java -jar drawbridge.jar}: the broker, or one of its tools. */
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
        CommandLine cli = new CommandLine(new BrokerCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }
}
