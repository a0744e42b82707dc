package dev.drawbridge.device.cli;

import dev.drawbridge.device.Device;
import dev.drawbridge.device.config.ConfigException;
import dev.drawbridge.device.config.ConfigLoader;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.mdns.BrokerNotFoundException;
import dev.drawbridge.device.mqtt.TlsMaterial;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar drawbridge-device.jar -c device.yml}: runs the garage opener until stopped. */
@Command(
        name = "drawbridge-device",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Opens a garage door through an MQTT broker: subscribes to <base>/cmd, pulses the relay, reports"
                    + " <base>/state and <base>/availability, and announces itself to Home Assistant.",
            "Exit status: 0 stopped cleanly (or config OK with --check), 1 config error, 2 usage error."
        })
public final class Main implements Callable<Integer> {

    @Spec
    @SuppressWarnings("NullAway.Init") // set by picocli before call()
    CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The device config file (YAML); see device.example.yml for every option and its default.")
    @SuppressWarnings("NullAway.Init") // required option, set by picocli before call()
    Path config;

    @Option(
            names = "--check",
            description = "Check the config file and load its TLS files, then exit without connecting.")
    boolean check;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line {@link #main} runs, whose {@code execute} result is the exit status. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        DeviceConfig device;
        TlsMaterial tls;
        try {
            device = ConfigLoader.load(config);
            tls = TlsMaterial.load(device, config);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return 1;
        }
        if (check) {
            spec.commandLine().getOut().println(config + ": OK");
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Device running;
        try {
            running = Device.start(device, tls, Clock.systemUTC());
        } catch (BrokerNotFoundException e) {
            err.println(config + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            stopped.countDown();
                        },
                        "drawbridge-shutdown"));
        stopped.await();
        return 0;
    }

    /** The version from the jar manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"drawbridge-device " + (version == null ? "dev" : version)};
        }
    }
}
