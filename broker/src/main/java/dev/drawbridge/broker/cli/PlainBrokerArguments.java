package dev.drawbridge.broker.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The broker's command line as a service starts it ({@code -c FILE}, {@code -p PORT}, {@code -v}, {@code -q},
 * {@code --test-config}), read without picocli.
 *
 * <p>Why: picocli builds its command model by reflection over annotations at every start, and its 170 classes are
 * compiled for Java 5, which class data sharing cannot archive; that was about a fifth of the time to the first
 * CONNACK. Anything else (help, version, an unknown or repeated option, a missing or odd value, bundled short
 * options) is not read here: {@link #parse} answers {@code null} and picocli reads the line as before, with its
 * messages. {@code PlainBrokerArgumentsTest} checks that both readings agree.
 */
final class PlainBrokerArguments {

    private PlainBrokerArguments() {}

    /** A command filled from {@code args}, or {@code null} when picocli must read them. */
    static @Nullable BrokerCommand parse(String... args) {
        BrokerCommand command = new BrokerCommand();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = canonical(args[i]);
            if (option == null || !seen.add(option)) {
                return null;
            }
            switch (option) {
                case "--verbose" -> command.verbose = true;
                case "--quiet" -> command.quiet = true;
                case "--test-config" -> command.testConfig = true;
                case "--config-file", "--port" -> {
                    if (i + 1 == args.length || args[i + 1].startsWith("-") || args[i + 1].isEmpty()) {
                        return null;
                    }
                    String value = args[++i];
                    if (option.equals("--port")) {
                        if (!value.matches("[0-9]{1,5}")) {
                            return null;
                        }
                        command.port = Integer.valueOf(value);
                    } else {
                        try {
                            command.configFile = Path.of(value);
                        } catch (InvalidPathException e) {
                            return null;
                        }
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return command;
    }

    private static @Nullable String canonical(String arg) {
        return switch (arg) {
            case "-c", "--config-file" -> "--config-file";
            case "-p", "--port" -> "--port";
            case "-v", "--verbose" -> "--verbose";
            case "-q", "--quiet" -> "--quiet";
            case "--test-config" -> "--test-config";
            default -> null;
        };
    }
}
