package dev.drawbridge.broker.it;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persistence true}: what a broker stored is there after {@code close()} and a new start from the same
 * {@code mosquitto.conf}; with persistence off, nothing is. The listener asks for port 0, so each start has its own
 * port.
 */
class PersistenceIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private @Nullable Drawbridge broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private Path conf(boolean persistence) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        String text = "listener 0 127.0.0.1\nallow_anonymous true\n"
                + (persistence ? "persistence true\npersistence_location " + store + "\n" : "");
        return Files.writeString(dir.resolve("mosquitto.conf"), text, StandardCharsets.UTF_8);
    }

    /** Closes the running broker and starts a new one from {@code conf}; returns its port. */
    private int restart(Path conf) throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        broker = Drawbridge.start(conf);
        return broker.port();
    }

    /**
     * A persistent session ({@code -c}, QoS 1) subscribes to {@code topic} and disconnects cleanly ({@code -E}: exit
     * after SUBACK); returns its client id once the broker has seen it go.
     */
    private static String leaveSubscribed(int port, String topic) throws Exception {
        String id = "keeper";
        try (LogCapture connections = LogCapture.connections()) {
            Result keeper = subUntilDone(port, "-c", "-i", id, "-q", "1", "-t", topic, "-E");
            assertThat(keeper.exitCode())
                    .as("mosquitto_sub: %s", keeper.stderr())
                    .isZero();
            connections.await(("Client " + id + " disconnected.")::equals, WAIT);
        }
        return id;
    }

    @Test
    void aQueuedMessageForAnOfflinePersistentSessionSurvivesARestart() throws Exception {
        Path conf = conf(true);
        int port = restart(conf);
        String keeper = leaveSubscribed(port, "house/door");
        assertThat(pub(port, "-t", "house/door", "-q", "1", "-m", "opened while away")
                        .exitCode())
                .isZero();

        port = restart(conf);

        Result back = subUntilDone(port, "-c", "-i", keeper, "-q", "1", "-t", "house/door", "-C", "1", "-W", "10");
        assertThat(back.stdout()).containsExactly("opened while away");
    }

    @Test
    void aPersistentSubscriptionSurvivesARestart() throws Exception {
        Path conf = conf(true);
        int port = restart(conf);
        String keeper = leaveSubscribed(port, "house/light");

        port = restart(conf);
        // Published after the restart, while the client is still away: the stored subscription must route it.
        assertThat(pub(port, "-t", "house/light", "-q", "1", "-m", "on").exitCode())
                .isZero();

        // Back, subscribed to another topic: only the stored subscription can bring house/light.
        Result back =
                subUntilDone(port, "-c", "-i", keeper, "-q", "1", "-t", "other/topic", "-C", "1", "-W", "10", "-v");
        assertThat(back.stdout()).containsExactly("house/light on");
    }

    @Test
    void retainedMessagesSurviveARestart() throws Exception {
        Path conf = conf(true);
        int port = restart(conf);
        assertThat(pub(port, "-t", "house/door/state", "-q", "1", "-r", "-m", "closed")
                        .exitCode())
                .isZero();
        assertThat(pub(port, "-t", "house/temp", "-q", "0", "-r", "-m", "21.5").exitCode())
                .isZero();
        // A QoS 0 PUBLISH has no answer: mosquitto_pub may exit before the broker has read it, and a stop then would
        // lose it with the socket (Mosquitto too). Seeing it retained first makes the restart the only variable.
        assertThat(subUntilDone(port, "-t", "house/temp", "-C", "1", "-W", "10", "-F", "%r %p")
                        .stdout())
                .containsExactly("1 21.5");

        port = restart(conf);

        Result door = subUntilDone(port, "-t", "house/door/state", "-C", "1", "-W", "10", "-F", "%r %p");
        Result temp = subUntilDone(port, "-t", "house/temp", "-C", "1", "-W", "10", "-F", "%r %p");
        assertThat(door.stdout()).containsExactly("1 closed");
        assertThat(temp.stdout()).containsExactly("1 21.5");
    }

    /**
     * {@code persistent_client_expiration}: a persistent session whose client stays away longer is removed, with what
     * was queued for it. Mosquitto 2.1's unit {@code s} makes it two seconds.
     */
    @Test
    void aPersistentSessionAwayLongerThanPersistentClientExpirationIsRemoved() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store
                        + "\npersistent_client_expiration 2s\n");
        int port = restart(conf);
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.engine")) {
            String keeper = leaveSubscribed(port, "house/door");
            assertThat(pub(port, "-t", "house/door", "-q", "1", "-m", "queued while away")
                            .exitCode())
                    .isZero();

            log.await(("Expiring client " + keeper + ": disconnected for more than 2 s.")::equals, WAIT);
        }
        assertThat(pub(port, "-t", "house/marker", "-q", "1", "-r", "-m", "retained")
                        .exitCode())
                .isZero();

        // A kept session's queued message would come right after CONNACK, before the SUBSCRIBE's retained marker.
        Result back =
                subUntilDone(port, "-c", "-i", "keeper", "-q", "1", "-t", "house/marker", "-C", "1", "-W", "10", "-v");
        assertThat(back.stdout()).containsExactly("house/marker retained");
    }

    @Test
    void withPersistenceOffRetainedMessagesAreGoneAfterARestart() throws Exception {
        Path conf = conf(false);
        int port = restart(conf);
        assertThat(pub(port, "-t", "house/door/state", "-q", "1", "-r", "-m", "closed")
                        .exitCode())
                .isZero();
        // Still there while the broker runs.
        assertThat(subUntilDone(port, "-t", "house/door/state", "-C", "1", "-W", "10")
                        .stdout())
                .containsExactly("closed");

        port = restart(conf);
        assertThat(pub(port, "-t", "house/marker", "-q", "1", "-r", "-m", "after restart")
                        .exitCode())
                .isZero();

        // One SUBSCRIBE with both filters: the retained messages of the first filter are sent before those of the
        // second, so the first message to arrive is the marker only when house/door/state holds nothing.
        Result after = subUntilDone(port, "-t", "house/door/state", "-t", "house/marker", "-C", "1", "-W", "10", "-v");
        assertThat(after.stdout()).containsExactly("house/marker after restart");
        assertThat(dir.resolve("store")).isEmptyDirectory();
    }

    @Test
    void withPersistenceOffAnOfflineSessionIsGoneAfterARestart() throws Exception {
        Path conf = conf(false);
        int port = restart(conf);
        String keeper = leaveSubscribed(port, "house/door");

        port = restart(conf);
        assertThat(pub(port, "-t", "house/door", "-q", "1", "-m", "lost").exitCode())
                .isZero();
        assertThat(pub(port, "-t", "house/marker", "-q", "1", "-r", "-m", "retained")
                        .exitCode())
                .isZero();

        // A kept session's queued messages would be sent right after CONNACK, before the SUBSCRIBE's retained marker:
        // the first message is the marker only when no session was kept.
        Result back =
                subUntilDone(port, "-c", "-i", keeper, "-q", "1", "-t", "house/marker", "-C", "1", "-W", "10", "-v");
        assertThat(back.stdout()).containsExactly("house/marker retained");
    }
}
