package dev.drawbridge.device;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real broker as a process on 127.0.0.1: the Drawbridge jar, or Debian's Mosquitto with
 * {@code -Ddrawbridge.it.broker=mosquitto}. Both read the same {@code mosquitto.conf}, written to the test folder
 * with {@code per_listener_settings true} and two listeners on free ports:
 *
 * <ul>
 *   <li>TLS, for the device: a certificate from the test CA is required, its CN is the username, and {@link #ACL}
 *       gives {@code garage} only the topics the device uses;
 *   <li>plain, for the test's mosquitto_pub and mosquitto_sub: anonymous, no ACL, so everything is allowed.
 * </ul>
 *
 * <p>The Drawbridge jar is found by the system property {@code drawbridge.jar}, which failsafe sets to
 * {@code broker/target/drawbridge.jar}.
 */
public final class TestBroker implements AutoCloseable {

    /** Which broker runs. */
    public enum Kind {
        DRAWBRIDGE,
        MOSQUITTO
    }

    /**
     * The device's rights, and nothing more: write its state, availability (also its will), event and attributes and
     * its Home Assistant discovery config; read its command topic and Home Assistant's status. It may not write its
     * own command topic, nor anything of another device.
     */
    public static final String ACL = "user garage\n"
            + "topic write " + DeviceFixture.STATE + "\n"
            + "topic write " + DeviceFixture.AVAILABILITY + "\n"
            + "topic write " + DeviceFixture.EVENT + "\n"
            + "topic write " + DeviceFixture.ATTRIBUTES + "\n"
            + "topic write " + DeviceFixture.DISCOVERY + "\n"
            + "topic read " + DeviceFixture.COMMAND + "\n"
            + "topic read " + DeviceFixture.HOME_ASSISTANT_STATUS + "\n";

    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final Pattern RUNNING = Pattern.compile("(?m)version \\S+ running$");

    private final Kind kind;
    private final List<String> command;
    private final Path log;
    private final int tlsPort;
    private final int plainPort;
    private @Nullable Process process;

    private TestBroker(Kind kind, List<String> command, Path log, int tlsPort, int plainPort) {
        this.kind = kind;
        this.command = command;
        this.log = log;
        this.tlsPort = tlsPort;
        this.plainPort = plainPort;
    }

    /** The broker chosen by {@code -Ddrawbridge.it.broker=drawbridge|mosquitto}; Drawbridge unless set. */
    public static Kind kind() {
        String chosen = System.getProperty("drawbridge.it.broker", "drawbridge");
        try {
            return Kind.valueOf(chosen.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "drawbridge.it.broker: expected drawbridge or mosquitto, found '" + chosen + "'", e);
        }
    }

    /** The TLS listener's default login: the certificate's CN is the username. */
    public static final String IDENTITY_AS_USERNAME = "use_identity_as_username true\n";

    /** Writes the config and ACL, starts the broker and returns once it says it is running. */
    public static TestBroker start(TestPki pki) throws IOException {
        return start(pki, IDENTITY_AS_USERNAME, ACL);
    }

    /**
     * As {@link #start(TestPki)}, with {@code tlsOptions} (e.g. {@link #IDENTITY_AS_USERNAME}, or a
     * {@code password_file} line) as the TLS listener's login options and {@code aclText} as its ACL file.
     */
    public static TestBroker start(TestPki pki, String tlsOptions, String aclText) throws IOException {
        return start(pki, kind(), tlsOptions, aclText);
    }

    /** As {@link #start(TestPki, String, String)}, with the broker {@code kind} whatever the system property says. */
    public static TestBroker start(TestPki pki, Kind kind, String tlsOptions, String aclText) throws IOException {
        int tlsPort;
        int plainPort;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket tls = new ServerSocket(0, 1, loopback);
                ServerSocket plain = new ServerSocket(0, 1, loopback)) {
            tlsPort = tls.getLocalPort();
            plainPort = plain.getLocalPort();
        }
        Path acl = pki.file("acl");
        Files.writeString(acl, aclText);
        Path config = pki.file("mosquitto.conf");
        // Mosquitto started as root drops to the user 'mosquitto', who cannot read the test folder. Drawbridge
        // ignores 'user' with a warning, so it is written only for Mosquitto.
        String user = kind == Kind.MOSQUITTO && "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(
                config,
                user + "per_listener_settings true\n"
                        + "persistence false\n"
                        + "log_dest stderr\n"
                        + "log_type all\n"
                        + "\n"
                        + "listener " + tlsPort + " 127.0.0.1\n"
                        + "cafile " + pki.file("ca.crt") + "\n"
                        + "certfile " + pki.file("server.crt") + "\n"
                        + "keyfile " + pki.file("server.key") + "\n"
                        + "require_certificate true\n"
                        + tlsOptions
                        + "tls_version tlsv1.2\n"
                        + "allow_anonymous false\n"
                        + "acl_file " + acl + "\n"
                        + "\n"
                        + "listener " + plainPort + " 127.0.0.1\n"
                        + "allow_anonymous true\n");
        TestBroker broker = new TestBroker(kind, command(kind, config), pki.file("broker.log"), tlsPort, plainPort);
        broker.startProcess();
        return broker;
    }

    /**
     * The Drawbridge jar on a config the test wrote itself (e.g. from {@code pki quickstart}'s), whose TLS and plain
     * listeners are on {@code tlsPort} and {@code plainPort}; returns once it says it is running.
     */
    public static TestBroker startDrawbridge(Path config, Path log, int tlsPort, int plainPort) throws IOException {
        TestBroker broker = new TestBroker(Kind.DRAWBRIDGE, command(Kind.DRAWBRIDGE, config), log, tlsPort, plainPort);
        broker.startProcess();
        return broker;
    }

    /** A port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code java -jar drawbridge.jar ARGS...}: the broker jar's command line, for its subcommands. */
    public static List<String> drawbridgeCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                drawbridgeJar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> command(Kind kind, Path config) {
        List<String> command = new ArrayList<>();
        if (kind == Kind.MOSQUITTO) {
            command.add(MOSQUITTO.toString());
        } else {
            Path jar = drawbridgeJar();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Start-up flags only: C1 alone and the serial collector start the JVM about a second sooner on two
            // cores, for every test. They change nothing the broker does.
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        }
        command.addAll(List.of("-c", config.toString()));
        return command;
    }

    private static Path drawbridgeJar() {
        String property = System.getProperty("drawbridge.jar");
        if (property == null) {
            throw new IllegalStateException("The system property drawbridge.jar is not set: it names the broker jar,"
                    + " and failsafe sets it to ../broker/target/drawbridge.jar (see device-client/pom.xml)");
        }
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The Drawbridge broker jar " + jar + " does not exist: build it first,"
                    + " e.g. 'mvn verify' from the repository root, or 'mvn -pl broker -am package -DskipTests'");
        }
        return jar;
    }

    public Kind brokerKind() {
        return kind;
    }

    /** The TLS listener, for the device and other certificate holders. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The plain, anonymous listener with no ACL, for the test's own clients. */
    public int plainPort() {
        return plainPort;
    }

    /** Starts the broker process again on the same ports, e.g. after {@link #stop()}. */
    public void startProcess() throws IOException {
        long before = Files.exists(log) ? Files.size(log) : 0;
        Process started = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        process = started;
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> running(started, before));
    }

    private boolean running(Process started, long offset) throws IOException {
        String text = Files.readString(log);
        if (RUNNING.matcher(text.substring((int) Math.min(offset, text.length())))
                .find()) {
            return true;
        }
        if (!started.isAlive()) {
            throw new IllegalStateException(
                    kind + " broker exited with " + started.exitValue() + " before it was running; its log:\n" + text);
        }
        return false;
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

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Process running = process;
            if (running != null) {
                running.destroyForcibly();
            }
        }
    }
}
