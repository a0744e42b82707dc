package dev.drawbridge.broker.testing;

import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The real {@code drawbridge.jar} (system property {@code drawbridge.jar}, set by failsafe), run as a user runs it:
 * {@code java -jar drawbridge.jar ARGS} in a working directory of the test's choosing.
 */
public final class BrokerJar {

    /** The line the broker logs once every listener is open. */
    public static final Predicate<String> RUNNING =
            Pattern.compile("drawbridge version \\S+ running").asPredicate();

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration END = Duration.ofSeconds(30);

    private BrokerJar() {}

    public static Path jar() {
        String property = System.getProperty("drawbridge.jar");
        if (property == null) {
            throw new IllegalStateException("system property drawbridge.jar is not set; run this test with failsafe");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("drawbridge.jar not found at " + jar + "; run mvn verify");
        }
        return jar;
    }

    /** {@code java -jar drawbridge.jar ARGS}, with JVM flags that only make a short-lived JVM start faster. */
    public static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** {@code java JVM-OPTIONS -jar drawbridge.jar ARGS}, e.g. with {@code -Dname=value} options. */
    public static List<String> command(List<String> jvmOptions, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the broker in {@code dir} without waiting for anything (its log may not go to stdout or stderr). */
    public static ClientProcess launch(Path dir, String... args) throws IOException {
        return ClientProcess.start(command(args), dir);
    }

    /**
     * Starts the broker in {@code dir} and waits until it logs that it is running. If it ends first, fails with its
     * exit status and output.
     */
    public static ClientProcess start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), args);
    }

    /** Like {@link #start(Path, String...)}, with {@code jvmOptions} before {@code -jar}. */
    public static ClientProcess start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        ClientProcess broker = ClientProcess.start(command(jvmOptions, args), dir);
        try {
            Awaitility.await("drawbridge " + String.join(" ", args) + " to run")
                    .atMost(START)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> broker.hasLine(RUNNING) || !broker.isAlive());
            if (!broker.hasLine(RUNNING)) {
                int status = broker.waitFor(END);
                throw new AssertionError("drawbridge " + String.join(" ", args) + " ended with status " + status
                        + " instead of running; output: " + broker.output());
            }
            return broker;
        } catch (InterruptedException e) {
            broker.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (RuntimeException | AssertionError e) {
            broker.close();
            throw e;
        }
    }

    /** Runs the jar in {@code dir} to its end (for commands that do not start a broker, or fail to). */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        try (ClientProcess process = ClientProcess.start(command(args), dir)) {
            int status = process.waitFor(END);
            return new Result(status, process.stdout(), process.stderr());
        }
    }

    /**
     * SIGTERM with {@code kill}, then the exit status. Not {@link Process#destroy()}: that also closes our ends of
     * the broker's stdout and stderr, so whatever it logs while stopping would be lost.
     */
    public static int stop(ClientProcess broker) throws IOException, InterruptedException {
        signal(broker, "TERM");
        return broker.waitFor(END);
    }

    /** Sends {@code kill -SIGNAL pid} and waits for {@code kill} to finish. */
    public static void signal(ClientProcess process, String signal) throws IOException, InterruptedException {
        try (ClientProcess kill = ClientProcess.start(List.of("kill", "-" + signal, Long.toString(process.pid())))) {
            if (kill.waitFor(Duration.ofSeconds(10)) != 0) {
                throw new AssertionError("kill -" + signal + " failed: " + kill.stderr());
            }
        }
    }
}
