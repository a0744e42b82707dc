package dev.drawbridge.broker.it.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check_retain_source true}, played the same way against the real Mosquitto 2.0.11 and against Drawbridge, with
 * the same password file (the oracle's) and ACL file: a retained message goes to a new subscriber only while its
 * publisher may still write its topic, under the rules in force at that moment, so a SIGHUP that takes alice's write
 * right away hides her retained message (admin's stays visible: the positive control) and one that gives it back shows
 * it again; and a restart keeps who published it. Each broker's answers are written down as lines and compared.
 */
class CheckRetainSourceIT {

    private static final Map<String, String> USERS = Oracle.aclUsers();
    private static final String ADMIN = "user admin\ntopic readwrite #\n";
    private static final String BOB = "user bob\ntopic read home/#\n";
    private static final String ALICE_WRITES = ADMIN + BOB + "user alice\ntopic readwrite home/#\n";
    private static final String ALICE_READS = ADMIN + BOB + "user alice\ntopic read home/#\n";

    @TempDir
    Path dir;

    /** What a client subscribing to home/# is sent now, as "topic=payload", in order. */
    private static String retainedFor(int port, String clientId) {
        try (RawMqttClient bob =
                RawMqttClient.connected(port, 4, clientId, Optional.of("bob"), Optional.of(USERS.get("bob")))) {
            bob.subscribe("home/#", 1);
            bob.barrier();
            return clientId + ": "
                    + bob.publishes().stream()
                            .map(p -> p.topic() + "=" + p.payload() + (p.retain() ? " (retained)" : ""))
                            .sorted()
                            .toList();
        }
    }

    private static void publishRetained(int port, String user, String topic, String payload) {
        try (RawMqttClient client =
                RawMqttClient.connected(port, 4, user + "-pub", Optional.of(user), Optional.of(USERS.get(user)))) {
            assertThat(client.publish(topic, payload, 1, true)).isZero();
            client.disconnect();
        }
    }

    /** The SIGHUP scenario against one broker; {@code reload} makes it reread the ACL file. */
    private List<String> reloadScenario(int port, Path acl, Runnable reload) {
        List<String> answers = new ArrayList<>();
        publishRetained(port, "alice", "home/door", "open");
        publishRetained(port, "admin", "home/light", "on");
        answers.add(retainedFor(port, "bob-1"));
        write(acl, ALICE_READS);
        reload.run();
        answers.add(retainedFor(port, "bob-2"));
        write(acl, ALICE_WRITES);
        reload.run();
        answers.add(retainedFor(port, "bob-3"));
        return answers;
    }

    @Test
    void aReloadThatTakesThePublishersWriteRightAwayHidesItsRetainedMessageAsInMosquitto() {
        List<String> expected = List.of(
                "bob-1: [home/door=open (retained), home/light=on (retained)]",
                "bob-2: [home/light=on (retained)]",
                "bob-3: [home/door=open (retained), home/light=on (retained)]");

        Path mosquittoDir = folder("mosquitto");
        Path mosquittoAcl = write(mosquittoDir.resolve("acl"), ALICE_WRITES);
        try (MosquittoBroker mosquitto =
                MosquittoBroker.start(mosquittoDir, mosquittoConf(mosquittoDir, mosquittoAcl))) {
            List<String> answers = reloadScenario(mosquitto.port(), mosquittoAcl, () -> sighup(mosquitto));
            assertThat(answers)
                    .as("Mosquitto's answers; log:%n%s", mosquitto.log())
                    .isEqualTo(expected);
        }

        Path drawbridgeDir = folder("drawbridge");
        Path drawbridgeAcl = write(drawbridgeDir.resolve("acl"), ALICE_WRITES);
        try (Drawbridge broker = TestBrokers.start(
                drawbridgeDir, conf(drawbridgeDir, drawbridgeAcl).toArray(String[]::new))) {
            assertThat(reloadScenario(broker.port(), drawbridgeAcl, broker::reload))
                    .as("Drawbridge against Mosquitto")
                    .isEqualTo(expected);
        }
    }

    @Test
    void aRestartKeepsWhoPublishedTheRetainedMessageAsInMosquitto() {
        List<String> expected = List.of(
                "bob-1: [home/door=open (retained), home/light=on (retained)]", "bob-2: [home/light=on (retained)]");

        Path mosquittoDir = folder("mosquitto");
        Path mosquittoAcl = write(mosquittoDir.resolve("acl"), ALICE_WRITES);
        List<String> mosquittoConf = new ArrayList<>(mosquittoConf(mosquittoDir, mosquittoAcl));
        mosquittoConf.addAll(List.of("persistence true", "persistence_location " + mosquittoDir + "/"));
        List<String> mosquittoAnswers = new ArrayList<>();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoDir, mosquittoConf)) {
            publishRetained(mosquitto.port(), "alice", "home/door", "open");
            publishRetained(mosquitto.port(), "admin", "home/light", "on");
            mosquittoAnswers.add(retainedFor(mosquitto.port(), "bob-1"));
        }
        write(mosquittoAcl, ALICE_READS);
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mosquittoDir, mosquittoConf)) {
            mosquittoAnswers.add(retainedFor(mosquitto.port(), "bob-2"));
            assertThat(mosquittoAnswers)
                    .as("Mosquitto's answers; log:%n%s", mosquitto.log())
                    .isEqualTo(expected);
        }

        Path drawbridgeDir = folder("drawbridge");
        Path drawbridgeAcl = write(drawbridgeDir.resolve("acl"), ALICE_WRITES);
        List<String> drawbridgeConf = new ArrayList<>(conf(drawbridgeDir, drawbridgeAcl));
        drawbridgeConf.addAll(List.of("persistence true", "persistence_location " + drawbridgeDir));
        String[] lines = drawbridgeConf.toArray(String[]::new);
        List<String> answers = new ArrayList<>();
        try (Drawbridge broker = TestBrokers.start(drawbridgeDir, lines)) {
            publishRetained(broker.port(), "alice", "home/door", "open");
            publishRetained(broker.port(), "admin", "home/light", "on");
            answers.add(retainedFor(broker.port(), "bob-1"));
        }
        write(drawbridgeAcl, ALICE_READS);
        try (Drawbridge broker = TestBrokers.start(drawbridgeDir, lines)) {
            answers.add(retainedFor(broker.port(), "bob-2"));
        }
        assertThat(answers).as("Drawbridge against Mosquitto").isEqualTo(expected);
    }

    private static List<String> conf(Path dir, Path acl) {
        Path passwd = TestBrokers.copyOracle(dir, "acl-passwd");
        return List.of("password_file " + passwd, "acl_file " + acl, "check_retain_source true");
    }

    /**
     * The same lines for Mosquitto, which started as root would switch to the user {@code mosquitto} and could no
     * longer read the files in the test's folder ({@code user} does nothing when not started as root).
     */
    private static List<String> mosquittoConf(Path dir, Path acl) {
        List<String> lines = new ArrayList<>(conf(dir, acl));
        lines.add("user root");
        return lines;
    }

    /** Sends SIGHUP and waits until Mosquitto's main loop took it: it then reloads before it reads the next packet. */
    private static void sighup(MosquittoBroker mosquitto) {
        long before = mosquitto.log().split("Reloading config", -1).length;
        mosquitto.signal("HUP");
        Awaitility.await("Mosquitto reloading")
                .atMost(Duration.ofSeconds(10))
                .until(() -> mosquitto.log().split("Reloading config", -1).length > before);
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String text) {
        return TestBrokers.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
