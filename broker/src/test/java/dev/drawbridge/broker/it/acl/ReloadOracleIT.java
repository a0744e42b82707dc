package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.acl.Oracle.Row;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios S01 to S04 of {@code reload-cases.tsv}: the files change under a running broker, {@link Drawbridge#reload()}
 * (what SIGHUP calls) rereads them, and live subscriptions, live connections and new logins behave as Mosquitto's did.
 * Each step's expected answer is read from the oracle row named by its scenario and step.
 */
class ReloadOracleIT {

    private static final List<Row> STEPS = Oracle.rows("reload-cases.tsv");
    private static final Map<String, String> USERS = Oracle.aclUsers();
    private static final Duration DROP = Duration.ofSeconds(5);
    private static final String ADMIN = "user admin\ntopic readwrite #\n";

    @TempDir
    Path dir;

    private Path passwd;
    private Path acl;
    private Drawbridge broker;
    private final List<RawMqttClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        passwd = TestBrokers.copyOracle(dir, "acl-passwd");
        acl = writeAcl(ADMIN + "user alice\ntopic readwrite home/#\n");
        broker = TestBrokers.start(dir, "allow_anonymous false", "password_file " + passwd, "acl_file " + acl);
    }

    @AfterEach
    void stop() {
        clients.forEach(RawMqttClient::close);
        broker.close();
    }

    @Test
    void s01TightenedAclAppliesToLiveSubscriptionsAndKeepsTheConnection() {
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient pub = login("pub", "admin");
        RawMqttClient obs = login("obs", "admin");
        alice.subscribe("home/#", 1);
        obs.subscribe("home/#", 1);
        pub.publish("home/x", "before", 1, false);
        alice.barrier();
        step("S01", "before: alice (subscribed home/#) receives home/x", yesNo(alice.received("home/x", "before")));

        writeAcl(ADMIN + "user alice\ntopic readwrite home/y\n");
        broker.reload();

        pub.publish("home/x", "after", 1, false);
        pub.publish("home/y", "after", 1, false);
        alice.barrier();
        step("S01", "after SIGHUP: existing subscription receives home/x", yesNo(alice.received("home/x", "after")));
        step("S01", "after SIGHUP: existing subscription receives home/y", yesNo(alice.received("home/y", "after")));
        alice.publish("home/x", "from alice", 1, false);
        obs.barrier();
        step("S01", "after SIGHUP: alice can publish home/x", yesNo(obs.received("home/x", "from alice")));
        step("S01", "alice's connection after SIGHUP", connectionState(alice));
        step("S01", "broker alive", brokerAlive());
    }

    @Test
    void s02LoosenedAclAppliesToLiveSubscriptions() {
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient pub = login("pub", "admin");
        alice.subscribe("#", 1);
        pub.publish("garage/cmd", "before", 1, false);
        alice.barrier();
        step("S02", "before: alice (subscribed #) receives garage/cmd", yesNo(alice.received("garage/cmd", "before")));

        writeAcl(ADMIN + "user alice\ntopic readwrite home/#\ntopic read garage/cmd\n");
        broker.reload();

        pub.publish("garage/cmd", "after", 1, false);
        alice.barrier();
        step(
                "S02",
                "after SIGHUP: same subscription receives garage/cmd",
                yesNo(alice.received("garage/cmd", "after")));
        step("S02", "broker alive", brokerAlive());
    }

    @Test
    void s03RemovedUserIsDisconnectedAndRefused() {
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient admin = login("obs", "admin");

        TestBrokers.write(passwd, withoutAlice().getBytes(UTF_8));
        broker.reload();

        step("S03", "after SIGHUP: alice's live connection", connectionState(alice));
        step("S03", "after SIGHUP: admin's live connections", connectionState(admin));
        step("S03", "new login alice", "CONNACK " + connack("alice", USERS.get("alice")));
        step("S03", "broker alive", brokerAlive());
    }

    @Test
    void s04ChangedPasswordDisconnectsAndOnlyTheNewOneWorks() {
        RawMqttClient alice = login("alice-1", "alice");
        // passwd-vectors.tsv's line for alice, whose password is "secret".
        String newLine = Oracle.rows("passwd-vectors.tsv").stream()
                .filter(r -> r.get("username").equals("alice"))
                .findFirst()
                .orElseThrow()
                .get("hashline");

        TestBrokers.write(passwd, (withoutAlice() + newLine + "\n").getBytes(UTF_8));
        broker.reload();

        step("S04", "after SIGHUP: alice's live connection (made with the old password)", connectionState(alice));
        step("S04", "new login with old password", "CONNACK " + connack("alice", USERS.get("alice")));
        step("S04", "new login with new password", "CONNACK " + connack("alice", "secret"));
        step("S04", "broker alive", brokerAlive());
    }

    private void step(String scenario, String step, String actual) {
        Row row = STEPS.stream()
                .filter(r -> r.get("scenario").startsWith(scenario + " ")
                        && r.get("step").equals(step))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no oracle step " + scenario + " / " + step));
        assertThat(actual).as(row.get("scenario") + ": " + step).isEqualTo(row.get("observed"));
    }

    /**
     * Two PINGREQ round trips after {@link Drawbridge#reload()} returned. A reload asks for the close of a dropped
     * connection before it returns; Netty may still answer a PINGREQ read in the same event-loop turn, but runs the
     * queued close right after that turn, so a second PINGRESP means the connection was kept.
     */
    private String connectionState(RawMqttClient client) {
        byte[] answer = null;
        try {
            for (int i = 0; i < 2; i++) {
                client.write(Packets.PINGREQ);
                answer = client.next(DROP);
                if (answer == null || RawMqttClient.type(answer) != RawMqttClient.PINGRESP) {
                    break;
                }
            }
        } catch (UncheckedIOException e) {
            answer = null; // the broker has already closed it
        }
        if (answer != null && RawMqttClient.type(answer) == RawMqttClient.PINGRESP) {
            return "still connected";
        }
        return client.awaitClosed(DROP) ? "dropped by broker" : "unexpected " + RawMqttClient.describe(answer);
    }

    private String brokerAlive() {
        return connack("alive", "admin", USERS.get("admin")) == 0 ? "True" : "False";
    }

    private int connack(String user, String password) {
        return connack("login-" + clients.size(), user, password);
    }

    private int connack(String clientId, String user, String password) {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            return client.connect(4, clientId, Optional.of(user), Optional.of(password.getBytes(UTF_8)), null);
        }
    }

    private RawMqttClient login(String clientId, String user) {
        RawMqttClient client =
                RawMqttClient.connected(broker.port(), 4, clientId, Optional.of(user), Optional.of(USERS.get(user)));
        clients.add(client);
        return client;
    }

    private String withoutAlice() {
        StringBuilder kept = new StringBuilder();
        for (String line : Oracle.text("acl-passwd").split("\n")) {
            if (!line.startsWith("alice:")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private Path writeAcl(String text) {
        return TestBrokers.write(dir.resolve("acl"), text.getBytes(UTF_8));
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
