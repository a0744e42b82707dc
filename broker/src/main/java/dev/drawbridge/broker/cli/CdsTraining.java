package dev.drawbridge.broker.cli;

import dev.drawbridge.broker.BrokerStartException;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.ConfigException;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.ParsedConfig;
import dev.drawbridge.broker.logging.LogSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the package's class-data-sharing archive: {@code java -XX:ArchiveClassesAtExit=F -cp
 * drawbridge.jar dev.drawbridge.broker.cli.CdsTraining}, run by the Debian postinst as root. It starts the broker as
 * the service does (a mosquitto.conf read by the parser, logging set up from it, a store), lets two raw-socket clients,
 * one at MQTT 3.1.1 and one at 5, connect, subscribe, publish at QoS 0 and 1 and receive, stops the broker, and exits 0;
 * the JVM then writes the classes it loaded into F. Everything it writes is in a fresh temporary directory, deleted at
 * the end: one listener on 127.0.0.1, port 0, and the store there; it never reads or writes the system's configuration
 * or store. Exit status 1 with one line on stderr if anything fails; a watchdog ends it after a minute.
 *
 * <p>A main class of its own and not a launcher option: the service's command line stays exactly the broker's, and
 * nothing a user types can start a training run by mistake.
 */
public final class CdsTraining {

    private static final long WATCHDOG_MS = 60_000;

    private CdsTraining() {}

    public static void main(String[] args) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(WATCHDOG_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.err.println("CdsTraining: not done after " + WATCHDOG_MS / 1000 + " s, giving up");
                    Runtime.getRuntime().halt(1); // no archive: halt skips the dump at exit
                },
                "cds-training-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            train();
        } catch (IOException | ConfigException | BrokerStartException | RuntimeException e) {
            System.err.println("CdsTraining: failed: " + e);
            Runtime.getRuntime().halt(1); // no archive of a failed run
        }
        System.exit(0); // the JVM writes the archive on this exit
    }

    private static void train() throws IOException, ConfigException, BrokerStartException {
        Path directory = Files.createTempDirectory("drawbridge-cds-training");
        try {
            Path store = Files.createDirectory(directory.resolve("store"));
            Path conf = Files.writeString(
                    directory.resolve("mosquitto.conf"),
                    String.join(
                            "\n",
                            "# The packaged configuration's settings, on a free port and a temporary store.",
                            "listener 0 127.0.0.1",
                            "allow_anonymous true",
                            "persistence true",
                            "persistence_location " + store + "/",
                            "log_dest stderr",
                            ""));
            // The service's command line, read as the service reads it (its classes go into the archive too).
            if (PlainBrokerArguments.parse("-c", conf.toString()) == null) {
                throw new IllegalStateException("the command line -c FILE was not read as a plain broker start");
            }
            ParsedConfig parsed = ConfigParser.parseWithOrigins(conf);
            LogSetup.apply(parsed.config().log(), false);
            try (Drawbridge broker = Drawbridge.start(parsed, () -> ConfigParser.parseWithOrigins(conf), log -> {})) {
                exercise(broker.port());
            }
        } finally {
            delete(directory);
        }
    }

    /** Each client subscribes, then each publishes at QoS 0 and 1 to the other's topic and gets what it was sent. */
    private static void exercise(int port) throws IOException {
        try (TrainingClient v311 = TrainingClient.connect(port, "cds-training-311", 4);
                TrainingClient v5 = TrainingClient.connect(port, "cds-training-5", 5)) {
            v311.subscribe("training/to311/#");
            v5.subscribe("training/to5/+");
            for (int qos = 0; qos <= 1; qos++) {
                // One message in flight at a time: a client waiting for its PUBACK must not get a PUBLISH first.
                v311.publish("training/to5/qos" + qos, qos, "from 3.1.1 at QoS " + qos);
                check(v5.receive(), "from 3.1.1 at QoS " + qos);
                v5.publish("training/to311/qos" + qos, qos, "from 5 at QoS " + qos);
                check(v311.receive(), "from 5 at QoS " + qos);
            }
            v311.disconnect();
            v5.disconnect();
        }
    }

    private static void check(String received, String expected) throws IOException {
        if (!received.equals(expected)) {
            throw new IOException("expected the payload \"" + expected + "\", received \"" + received + "\"");
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.delete(path);
            }
        }
    }
}
