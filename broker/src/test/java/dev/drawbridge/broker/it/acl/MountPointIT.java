package dev.drawbridge.broker.it.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mount_point mnt/} on a second listener, the same client actions played against the real Mosquitto 2.0.11 and
 * against Drawbridge (MQTT 3.1.1 and 5 on the mounted listener), each broker's answers written down as lines and
 * compared: what a mounted client publishes, and its will, land below {@code mnt/}; its subscriptions match only below
 * {@code mnt/}; the ACL is asked about the mounted topic (anonymous clients may write {@code mnt/allowed/#} only). One
 * line differs on purpose: Mosquitto 2.0.11 sends a mounted client its messages with the prefix still on (a bug its
 * 2.0.12 fixed, as its documentation always said); Drawbridge takes it off. The test pins both.
 */
class MountPointIT {

    private static final Map<String, String> USERS = Oracle.aclUsers();
    private static final String ACL = "topic readwrite mnt/allowed/#\ntopic readwrite mnt/f/#\n"
            + "topic read mnt/#\nuser admin\ntopic readwrite #\n";

    @TempDir
    Path dir;

    /** Plays the scenario: {@code plain} is the unmounted listener's port, {@code mounted} the other's. */
    private static List<String> play(int plain, int mounted, int level) {
        List<String> answers = new ArrayList<>();
        try (RawMqttClient obs = RawMqttClient.connected(
                        plain, 4, "obs", Optional.of("admin"), Optional.of(USERS.get("admin")));
                RawMqttClient m = RawMqttClient.connected(mounted, level, "m", Optional.empty(), Optional.empty())) {
            obs.subscribe("#", 0);

            // Publishing: the ACL sees the mounted topic (only mnt/allowed/# may be written).
            m.publish("allowed/x", "yes", 1, false);
            m.publish("denied/x", "no", 1, false);
            obs.barrier();
            answers.add("obs after m published: " + topics(obs));

            // Subscribing: f/# is mnt/f/#; f/outside (outside the mount point) does not reach m, mnt/f/inside does.
            answers.add("m SUBACK f/#: " + m.subscribe("f/#", 1));
            obs.publish("f/outside", "no", 1, false);
            obs.publish("mnt/f/inside", "yes", 1, false);
            m.barrier();
            answers.add("m received: " + topics(m));

            // The will of a mounted client lands below the mount point too.
            try (RawMqttClient w = RawMqttClient.open(mounted)) {
                assertThat(w.connect(
                                level,
                                "w",
                                Optional.empty(),
                                Optional.empty(),
                                new RawMqttClient.Will("allowed/will", "gone", 0, false)))
                        .isZero();
            }
            Awaitility.await("the will")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> obs.received("mnt/allowed/will", "gone") || obs.received("allowed/will", "gone"));
            answers.add("obs after w's socket closed: " + topics(obs));
        }
        return answers;
    }

    private static List<String> topics(RawMqttClient client) {
        return client.publishes().stream()
                .map(p -> p.topic() + "=" + p.payload())
                .toList();
    }

    @ParameterizedTest(name = "MQTT protocol level {0}")
    @ValueSource(ints = {4, 5})
    void aMountedListenersClientsSeeTheirOwnSubtreeAsInMosquitto(int level) {
        List<String> common = List.of(
                "obs after m published: [mnt/allowed/x=yes]",
                "m SUBACK f/#: 1",
                "obs after w's socket closed: [mnt/allowed/x=yes, f/outside=no, mnt/f/inside=yes, mnt/allowed/will=gone]");

        Path mosquittoDir = folder("mosquitto");
        int mounted = Ports.free();
        List<String> mosquittoConf = new ArrayList<>(List.of("listener " + mounted + " 127.0.0.1", "mount_point mnt/"));
        mosquittoConf.addAll(security(mosquittoDir));
        mosquittoConf.add("user root"); // started as root, Mosquitto would switch users and not read the test's files
        List<String> mosquitto;
        try (MosquittoBroker broker = MosquittoBroker.start(mosquittoDir, mosquittoConf)) {
            mosquitto = play(broker.port(), mounted, level);
            assertThat(mosquitto)
                    .as("Mosquitto 2.0.11; log:%n%s", broker.log())
                    .containsExactly(common.get(0), common.get(1), "m received: [mnt/f/inside=yes]", common.get(2));
        }

        Path drawbridgeDir = folder("drawbridge");
        int plain = Ports.free();
        mounted = Ports.free();
        List<String> conf = new ArrayList<>(List.of(
                "listener " + plain + " 127.0.0.1",
                "listener " + mounted + " 127.0.0.1",
                "mount_point mnt/",
                "allow_anonymous true"));
        conf.addAll(security(drawbridgeDir));
        try (Drawbridge broker = Drawbridge.start(Files.write(drawbridgeDir.resolve("mosquitto.conf"), conf))) {
            assertThat(play(plain, mounted, level))
                    .as("Drawbridge (listeners %s), against Mosquitto's %s", broker.listeners(), mosquitto)
                    .containsExactly(common.get(0), common.get(1), "m received: [f/inside=yes]", common.get(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("Drawbridge did not start: " + e.getMessage(), e);
        }
    }

    private static List<String> security(Path dir) {
        Path passwd = TestBrokers.copyOracle(dir, "acl-passwd");
        Path acl = TestBrokers.write(dir.resolve("acl"), ACL.getBytes(StandardCharsets.UTF_8));
        return List.of("password_file " + passwd, "acl_file " + acl);
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
