package dev.drawbridge.broker.cli;

import dev.drawbridge.broker.BrokerStartException;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.Version;
import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConfigException;
import dev.drawbridge.broker.conf.ConfigOrigins;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.LogConfig;
import dev.drawbridge.broker.conf.ParsedConfig;
import dev.drawbridge.broker.logging.LogSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The broker itself, with Mosquitto's command line. */
@Command(
        name = "drawbridge",
        mixinStandardHelpOptions = true,
        versionProvider = BrokerCommand.VersionProvider.class,
        description = {
            "An MQTT broker that reads Mosquitto's configuration files.",
            "With no options it listens on 127.0.0.1:1883 only, anonymous access allowed, nothing persisted.",
            "",
            "Tools in the same jar:",
            "  passwd  manage a password file, as mosquitto_passwd (java -jar drawbridge.jar passwd)",
            "  pki     create a private CA, certificates, fingerprints, CRLs (java -jar drawbridge.jar pki --help)"
        },
        exitCodeOnInvalidInput = 1,
        exitCodeOnExecutionException = 1)
final class BrokerCommand implements Callable<Integer> {

    /** Returned by {@link #call()} when the broker runs until a signal stops it. */
    static final int KEEP_RUNNING = -1;

    @Option(
            names = {"-c", "--config-file"},
            paramLabel = "FILE",
            description = "mosquitto.conf to read.")
    @Nullable
    Path configFile;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "PORT",
            description = "Listen on this port (with no -c: on 127.0.0.1 only).")
    @Nullable
    Integer port;

    @Option(
            names = {"-v", "--verbose"},
            description = "Log everything (log_type all).")
    boolean verbose;

    @Option(
            names = {"-q", "--quiet"},
            description = "Log nothing (as log_type none); overrides the file's log options and -v.")
    boolean quiet;

    @Option(
            names = "--test-config",
            description = "Check the file given with -c (and the files it names), print its problems, and exit:"
                    + " 0 if it is valid, 1 if not. Binds nothing.")
    boolean testConfig;

    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec == null
                ? new PrintWriter(System.err, true)
                : spec.commandLine().getErr();
        if (testConfig && configFile == null) {
            err.println("Error: --test-config needs a configuration file to test (-c FILE).");
            return 1;
        }
        BrokerConfig config;
        try {
            config = configFile == null ? BrokerConfig.localOnly(port == null ? 1883 : port) : readConfig(configFile);
        } catch (ConfigException e) {
            err.println("Error: found " + e.problems().size() + " problem(s) in the configuration:");
            e.problems().forEach(err::println);
            return 1;
        }
        if (testConfig) {
            return test(config, err);
        }
        applyLog(config.log());
        // Signals are handled from before the start, so that none arriving early kills the JVM uncleanly.
        AtomicReference<Drawbridge> running = new AtomicReference<>();
        Signals.on("HUP", () -> {
            Drawbridge broker = running.get();
            if (broker != null) {
                broker.reload();
            }
        });
        Runnable stop = () -> {
            Drawbridge broker = running.get();
            if (broker != null) {
                broker.close();
            }
            System.exit(0);
        };
        Signals.on("TERM", stop);
        Signals.on("INT", stop);
        Drawbridge broker;
        try {
            Path file = configFile;
            broker = file == null
                    ? Drawbridge.start(config)
                    : Drawbridge.start(
                            new ParsedConfig(config, origins), () -> readConfigWithOrigins(file), this::applyLog);
        } catch (BrokerStartException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        running.set(broker);
        // Any other way out of the JVM still flushes the store.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "drawbridge-shutdown"));
        return KEEP_RUNNING;
    }

    /** {@code --test-config}: warnings and problems on stderr, as Mosquitto prints them. */
    private static int test(BrokerConfig config, PrintWriter err) {
        config.warnings().forEach(w -> err.println("Warning: " + w));
        try {
            Drawbridge.check(config);
        } catch (BrokerStartException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        err.println("Configuration file is OK.");
        return 0;
    }

    private void applyLog(LogConfig log) {
        LogSetup.apply(quiet ? log.silenced() : log, verbose && !quiet);
    }

    /** The file as {@link #readConfig} reads it, with where its settings were written (for a reload). */
    private ParsedConfig readConfigWithOrigins(Path file) throws ConfigException {
        ParsedConfig parsed = ConfigParser.parseWithOrigins(file);
        return new ParsedConfig(withPort(parsed.config()), parsed.origins());
    }

    private BrokerConfig readConfig(Path file) throws ConfigException {
        ParsedConfig parsed = ConfigParser.parseWithOrigins(file);
        origins = parsed.origins();
        return withPort(parsed.config());
    }

    /** Where the settings of the file read at start were written. */
    private ConfigOrigins origins = ConfigOrigins.NONE;

    private BrokerConfig withPort(BrokerConfig config) {
        if (port == null) {
            return config;
        }
        // -p with -c: the port of the default listener, as Mosquitto's -p.
        ListenerConfig first = config.listeners().get(0);
        ListenerConfig moved = new ListenerConfig(
                port,
                first.bindAddress(),
                first.socketDomain(),
                first.protocol(),
                first.maxConnections(),
                first.tls(),
                first.security(),
                first.admission());
        List<ListenerConfig> listeners = new java.util.ArrayList<>(config.listeners());
        listeners.set(0, moved);
        return config.withListeners(listeners);
    }

    static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"drawbridge version " + Version.get()};
        }
    }
}
