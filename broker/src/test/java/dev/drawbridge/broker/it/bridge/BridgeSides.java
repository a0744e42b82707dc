package dev.drawbridge.broker.it.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Debian's mosquitto_pub and mosquitto_sub on either side of a bridge, for the bridge tests. */
final class BridgeSides {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** mosquitto_sub's output: QoS, retain flag, topic, payload. */
    static final String FORMAT = "%q %r %t %p";

    private BridgeSides() {}

    /** The real Mosquitto 2.0.11 on a free port, its files in a folder of its own under {@code dir}. */
    static MosquittoBroker mosquitto(Path dir, String name, String... lines) throws IOException {
        return MosquittoBroker.start(Files.createDirectories(dir.resolve(name)), List.of(lines));
    }

    /** As {@link #mosquitto(Path, String, String...)}, on a given port. */
    static MosquittoBroker mosquittoOn(int port, Path dir, String name, String... lines) throws IOException {
        return MosquittoBroker.start(Files.createDirectories(dir.resolve(name)), port, List.of(lines));
    }

    /** Two Drawbridges, {@code local} bridged to {@code remote}; closing them closes the bridged one first. */
    record BridgedDrawbridges(Drawbridge local, Drawbridge remote) implements AutoCloseable {
        @Override
        public void close() {
            try {
                local.close();
            } finally {
                remote.close();
            }
        }
    }

    /**
     * Two Drawbridges in folders of their own under {@code dir}: {@code remote}, with no bridge, and {@code local},
     * bridged to it by {@code connection} with its {@code remote_clientid}, {@code bridge_protocol_version},
     * {@code restart_timeout 1} and these further lines (its {@code topic} lines); returned once the bridge is
     * connected.
     */
    static BridgedDrawbridges bridgedDrawbridges(
            Path dir, String connection, String remoteClientId, String version, String... lines) throws IOException {
        Drawbridge remote = DrawbridgeBroker.start(dir.resolve("remote"), List.of());
        List<String> bridge = new ArrayList<>(List.of(
                "connection " + connection,
                "address 127.0.0.1:" + remote.port(),
                "remote_clientid " + remoteClientId,
                "bridge_protocol_version " + version,
                "restart_timeout 1"));
        bridge.addAll(List.of(lines));
        Drawbridge local;
        try {
            local = DrawbridgeBroker.start(dir.resolve("local"), bridge);
        } catch (RuntimeException | Error e) {
            remote.close();
            throw e;
        }
        BridgedDrawbridges both = new BridgedDrawbridges(local, remote);
        try {
            awaitConnected(local.port(), "$SYS/broker/connection/" + remoteClientId + "/state");
        } catch (IOException | RuntimeException | Error e) {
            both.close();
            throw e;
        }
        return both;
    }

    /**
     * A remote Mosquitto's lines for a store in {@code dir/remote-store}, so that a collector's persistent session
     * outlives a restart of it, then {@code more}. Run as root, Mosquitto would drop to its own user, which cannot write
     * the test's folder.
     */
    static String[] persistentRemoteLines(Path dir, String... more) throws IOException {
        Path store = Files.createDirectories(dir.resolve("remote-store"));
        List<String> lines = new ArrayList<>(List.of(
                "user " + System.getProperty("user.name"), "persistence true", "persistence_location " + store + "/"));
        lines.addAll(List.of(more));
        return lines.toArray(String[]::new);
    }

    /**
     * A local Drawbridge's lines for a store in {@code dir/local-store} and the bridge {@code name} (its
     * {@code remote_clientid} too) to the remote broker with {@code cleansession false}, so that what it owes the remote
     * broker waits across a restart; {@code restart_timeout 1} and the one {@code topic} line.
     */
    static List<String> persistentBridgeLines(Path dir, String name, int remotePort, String topic) throws IOException {
        return List.of(
                "persistence true",
                "persistence_location " + Files.createDirectories(dir.resolve("local-store")),
                "connection " + name,
                "address 127.0.0.1:" + remotePort,
                "remote_clientid " + name,
                "cleansession false",
                "restart_timeout 1",
                topic);
    }

    /** The payload of the retained message on {@code topic}, or empty if none comes within a second. */
    static List<String> retained(int port, String topic) throws IOException, InterruptedException {
        return MosquittoClients.subUntilDone(port, "-t", topic, "-C", "1", "-W", "1", "-F", "%r %p")
                .stdout();
    }

    /** Publishes one message; fails the test if mosquitto_pub fails. */
    static void publish(int port, String... args) throws IOException, InterruptedException {
        var result = MosquittoClients.pub(port, args);
        assertThat(result.exitCode())
                .as("mosquitto_pub %s: %s", List.of(args), result.stderr())
                .isZero();
    }

    /** A mosquitto_sub subscribed (SUBACK received) to the filters at QoS 2, printing {@link #FORMAT}. */
    static ClientProcess subscriber(int port, String... filters) throws IOException {
        List<String> args = new ArrayList<>(List.of("-q", "2", "-F", FORMAT));
        for (String filter : filters) {
            args.add("-t");
            args.add(filter);
        }
        return MosquittoClients.subscribed(port, args.toArray(String[]::new));
    }

    /** Waits for the bridge's local notification topic to say "1" (connected and subscribed on both sides). */
    static void awaitConnected(int localPort, String notificationTopic) throws IOException {
        try (ClientProcess state = MosquittoClients.sub(localPort, "-t", notificationTopic, "-F", "%p")) {
            state.awaitLine("1"::equals, WAIT);
        }
    }

    /** The lines of stdout that are messages in {@link #FORMAT} (mosquitto_sub -d adds its own lines). */
    static List<String> messages(ClientProcess sub) {
        return sub.stdout().stream().filter(l -> l.matches("[012] [01] .*")).toList();
    }

    static long count(ClientProcess sub, String line) {
        return messages(sub).stream().filter(line::equals).count();
    }
}
