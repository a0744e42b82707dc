package dev.drawbridge.broker.it.differential;

import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real Mosquitto 2.0 ({@code /usr/sbin/mosquitto}, installed by {@code .ci/run}) as a child process on a free port
 * of 127.0.0.1, with a {@code mosquitto.conf} written to a folder the test owns; its log goes to a file there.
 */
public final class MosquittoBroker implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;
    private final Path log;

    private MosquittoBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Mosquitto with {@code listener PORT 127.0.0.1}, {@code allow_anonymous true} and the extra lines. */
    public static MosquittoBroker start(Path dir, List<String> extraLines) {
        return start(dir, Ports.free(), extraLines);
    }

    /** As {@link #start(Path, List)}, on a given port (to start a broker again where a stopped one listened). */
    public static MosquittoBroker start(Path dir, int port, List<String> extraLines) {
        List<String> conf = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true"));
        conf.addAll(extraLines);
        Path log = dir.resolve("mosquitto.log");
        try {
            Path file = Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(BINARY.toString(), "-c", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MosquittoBroker broker = new MosquittoBroker(process, port, log);
            try {
                Awaitility.await("mosquitto listening on 127.0.0.1:" + port)
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new AssertionError("mosquitto exited: " + broker.log());
                            }
                            return accepts(port);
                        });
            } catch (RuntimeException | AssertionError e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
    }

    public int port() {
        return port;
    }

    /** What Mosquitto logged so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Sends a signal ({@code HUP}: reread the configuration) to the Mosquitto process. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
