package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password file or ACL file that cannot be loaded at reload (SIGHUP) leaves the rules loaded before in force, where
 * Mosquitto would fall back to weaker ones, and each problem is logged with its file and line: a missing file on the
 * {@code mosquitto.conf} line that names it, a bad line in the file itself.
 */
class ReloadKeepsRulesIT {

    private static final String PASSWORD = "Alice-Reload-2718";
    private static final Duration LOGGED = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path passwd;
    private Path acl;
    private Drawbridge broker;
    private LogCapture log;
    private RawMqttClient alice;

    @BeforeEach
    void start() {
        log = LogCapture.of("dev.drawbridge.broker");
        passwd = TestBrokers.passwordFile(dir.resolve("passwd"), Map.of("alice", PASSWORD));
        acl = TestBrokers.write(dir.resolve("acl"), "user alice\ntopic readwrite home/#\n".getBytes(UTF_8));
        broker = TestBrokers.start(dir, "allow_anonymous false", "password_file " + passwd, "acl_file " + acl);
        alice = RawMqttClient.connected(broker.port(), 4, "alice-live", Optional.of("alice"), Optional.of(PASSWORD));
    }

    @AfterEach
    void stop() {
        alice.close();
        broker.close();
        log.close();
    }

    @Test
    void aMissingPasswordFileAtReloadKeepsThePreviousUsers() throws Exception {
        Files.delete(passwd);
        broker.reload();

        // The broker was started from mosquitto.conf: the reread file names the missing one on its line.
        log.await(
                m -> m.matches("Reload kept the previous configuration: .+mosquitto\\.conf:\\d+: password_file: cannot"
                        + " read '" + Pattern.quote(passwd.toString()) + "': .+"),
                LOGGED);
        assertThat(login(PASSWORD))
                .as("CONNACK for alice's password after the reload")
                .isZero();
        assertThat(login("not-" + PASSWORD))
                .as("CONNACK for a wrong password after the reload")
                .isEqualTo(5);
    }

    @Test
    void aBrokenAclFileAtReloadKeepsThePreviousGrants() {
        alice.subscribe("home/#", 1);
        alice.subscribe("garage/#", 1);
        // Line 3 is broken; were the file applied, alice would move from home/# to garage/#.
        TestBrokers.write(acl, "user alice\ntopic readwrite garage/#\ntopik read home/#\n".getBytes(UTF_8));
        broker.reload();

        log.await(
                m -> m.equals("Reload kept the previous rules: " + acl + ":3: invalid line 'topik read home/#':"
                        + " expected 'topic', 'pattern', 'user' or a '#' comment"),
                LOGGED);
        alice.publish("home/x", "after reload", 1, false);
        alice.publish("garage/x", "after reload", 1, false);
        alice.barrier();
        assertThat(alice.received("home/x", "after reload"))
                .as("home/x (granted before the reload) reaches alice's live subscription")
                .isTrue();
        assertThat(alice.received("garage/x", "after reload"))
                .as("garage/x (granted only by the broken file) reaches alice's live subscription")
                .isFalse();
    }

    private int login(String password) {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            return client.connect(4, "alice-again", Optional.of("alice"), Optional.of(password.getBytes(UTF_8)), null);
        }
    }
}
