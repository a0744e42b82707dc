package dev.drawbridge.device;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The real Mosquitto broker as a process on 127.0.0.1 and a free port, with a TLS listener that requires a client
 * certificate from the test CA. Its config and log are in the test folder.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path config;
    private final Path log;
    private final int port;
    private @Nullable Process process;

    private Mosquitto(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** Writes the config and starts the broker; returns once it accepts connections. */
    public static Mosquitto start(TestPki pki) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = pki.file("mosquitto.conf");
        String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(
                config,
                user + "per_listener_settings false\n"
                        + "persistence false\n"
                        + "allow_anonymous true\n"
                        + "log_type all\n"
                        + "listener " + port + " 127.0.0.1\n"
                        + "cafile " + pki.file("ca.crt") + "\n"
                        + "certfile " + pki.file("server.crt") + "\n"
                        + "keyfile " + pki.file("server.key") + "\n"
                        + "require_certificate true\n"
                        + "tls_version tlsv1.2\n");
        Mosquitto mosquitto = new Mosquitto(config, pki.file("mosquitto.log"), port);
        mosquitto.startProcess();
        return mosquitto;
    }

    public int port() {
        return port;
    }

    /** Starts the broker process again on the same port, e.g. after {@link #stop()}. */
    public void startProcess() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(this::accepting);
    }

    /** Stops the broker (SIGTERM) and waits for it to go. */
    public void stop() throws InterruptedException {
        Process running = process;
        if (running != null) {
            running.destroy();
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** What the broker logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
