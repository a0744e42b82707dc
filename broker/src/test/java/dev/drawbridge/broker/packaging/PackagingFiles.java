package dev.drawbridge.broker.packaging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where the packaging files are, and what the tests that check them share. */
final class PackagingFiles {

    /** The repository root: tests run in the broker module's directory. */
    static final Path REPOSITORY = repository();

    static final Path DOCKER = REPOSITORY.resolve("docker");
    static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    static final Path DOCKERIGNORE = DOCKER.resolve("Dockerfile.dockerignore");
    static final Path DOCKER_CONF = DOCKER.resolve("config/mosquitto.conf");
    static final Path HEALTHCHECK = DOCKER.resolve("healthcheck.sh");
    static final Path ENTRYPOINT_SCRIPT = DOCKER.resolve("docker-entrypoint.sh");
    static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");
    static final Path COMPOSE_TLS = DOCKER.resolve("docker-compose.tls.yml");

    static final Path UNIT = REPOSITORY.resolve("broker/src/deb/root/lib/systemd/system/drawbridge.service");
    static final Path POSTINST = REPOSITORY.resolve("broker/src/deb/DEBIAN/postinst");

    /** The variable docker-compose.tls.yml takes the pki quickstart directory from. */
    static final String PKI_DIR_VARIABLE = "DRAWBRIDGE_PKI_DIR";

    /** The quickstart device the TLS compose file's clients use, and the server name in its certificate. */
    static final String DEVICE = "garage";

    static final String SERVER = "mqtt.local";

    private PackagingFiles() {}

    private static Path repository() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.isDirectory(root.resolve("docker"))) {
            throw new IllegalStateException("no docker/ next to the broker module " + module);
        }
        return root;
    }

    static ComposeFile compose() {
        return ComposeFile.read(COMPOSE, Map.of());
    }

    /** docker-compose.tls.yml with {@code DRAWBRIDGE_PKI_DIR} set to {@code pkiDirectory}. */
    static ComposeFile composeTls(Path pkiDirectory) {
        return ComposeFile.read(COMPOSE_TLS, Map.of(PKI_DIR_VARIABLE, pkiDirectory.toString()));
    }

    /** The Debian version of a Maven version: {@code 0.1.0-SNAPSHOT} is {@code 0.1.0~snapshot}. */
    static String debianVersion(String mavenVersion) {
        return mavenVersion.replaceFirst("-SNAPSHOT$", "~snapshot").replace('-', '~');
    }

    /** The Debian unit's ExecStart between the java command and {@code -jar}. */
    static List<String> unitJvmOptions() throws IOException {
        List<String> execStart = Files.readAllLines(UNIT).stream()
                .filter(line -> line.startsWith("ExecStart="))
                .map(line -> List.of(line.substring("ExecStart=".length()).split("\\s+")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ExecStart in " + UNIT));
        if (!execStart.get(0).equals("/usr/bin/java") || !execStart.contains("-jar")) {
            throw new AssertionError("expected ExecStart=/usr/bin/java OPTIONS... -jar ..., found " + execStart);
        }
        return execStart.subList(1, execStart.indexOf("-jar"));
    }

    static Path javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** MQTT topic filter matching ({@code +} one level, {@code #} the rest), for comparing compose commands. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
