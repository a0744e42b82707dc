package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused login is logged with the client, the username and the address it came from; the password, wrong or
 * right, is in no line the broker logs at any level.
 */
class FailedLoginLogIT {

    private static final String RIGHT = "Right-Pass-5531-q";
    private static final String WRONG = "Wrong-Pass-8807-z";
    private static final String GHOST_PASSWORD = "Ghost-Pass-1212-k";

    @TempDir
    Path dir;

    private Drawbridge broker;
    private LogCapture log;

    @BeforeEach
    void start() {
        log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.TRACE);
        Path passwd = TestBrokers.passwordFile(dir.resolve("passwd"), Map.of("bob", RIGHT));
        broker = TestBrokers.start(dir, "allow_anonymous false", "password_file " + passwd);
    }

    @AfterEach
    void stop() {
        broker.close();
        log.close();
    }

    @Test
    void refusedLoginsNameAddressAndUsernameButNoPassword() {
        refused("wrong-pw", "bob", WRONG);
        refused("no-such-user", "ghost", GHOST_PASSWORD);
        try (RawMqttClient bob =
                RawMqttClient.connected(broker.port(), 4, "bob-ok", Optional.of("bob"), Optional.of(RIGHT))) {
            bob.ping();
        }

        log.await(line -> refusal("wrong-pw", "bob").matcher(line).matches(), Duration.ofSeconds(5));
        log.await(line -> refusal("no-such-user", "ghost").matcher(line).matches(), Duration.ofSeconds(5));
        List<String> lines = log.lines();
        for (String password : List.of(RIGHT, WRONG, GHOST_PASSWORD)) {
            assertThat(lines)
                    .as("log lines containing a password")
                    .noneSatisfy(line -> assertThat(line).contains(password));
        }
    }

    private void refused(String clientId, String user, String password) {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            int connack = client.connect(4, clientId, Optional.of(user), Optional.of(password.getBytes(UTF_8)), null);
            assertThat(connack).as("CONNACK for %s (user %s)", clientId, user).isEqualTo(5);
        }
    }

    /** {@code Client ID (user NAME) from 127.0.0.1:PORT disconnected, not authorised: REASON.} */
    private static Pattern refusal(String clientId, String user) {
        return Pattern.compile("Client " + clientId + " \\(user " + user
                + "\\) from 127\\.0\\.0\\.1:\\d+ disconnected, not authorised: .+\\.");
    }
}
