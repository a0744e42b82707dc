package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.LogCapture;
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
 * Password guessing from one address is slowed down: the first refusals are answered at once, from the 4th refusal in
 * a row the CONNACK comes later (0.5 s, then doubling), and a successful login clears the count. No password, right or
 * wrong, ever reaches the log, even at DEBUG.
 */
class BruteForceLoginIT {

    private static final String RIGHT = "Correct-Horse-4711";
    private static final Duration ANSWER = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private Drawbridge broker;
    private LogCapture log;

    @BeforeEach
    void start() {
        // Everything at DEBUG, the engine's packet lines included (it sees the CONNECT of an accepted login).
        log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
        Path passwd = TestBrokers.passwordFile(dir.resolve("passwd"), Map.of("alice", RIGHT));
        broker = TestBrokers.start(dir, "allow_anonymous false", "password_file " + passwd);
    }

    @AfterEach
    void stop() {
        broker.close();
        log.close();
    }

    @Test
    void theFourthRefusalInARowIsAnsweredLaterAndASuccessClearsTheCount() {
        List<String> guesses = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String guess = "Guess-" + i + "-Tr0ub4dor";
            guesses.add(guess);
            millis.add(refusalMillis(guess));
        }

        // Lower bounds are the throttle's (500 ms, then 1 s); the free refusals are judged against the 5th, which waits
        // a second more than they do, so that a loaded machine slows both alike (LoginThrottleTest has the exact
        // waits).
        long fifth = millis.get(4);
        assertThat(millis.get(3)).as("4th refusal (ms)").isGreaterThanOrEqualTo(500);
        assertThat(fifth).as("5th refusal (ms)").isGreaterThanOrEqualTo(1_000);
        assertThat(millis.subList(0, 3))
                .as("first three refusals (ms), against the 5th's %d ms", fifth)
                .allSatisfy(ms -> assertThat(ms).isLessThan(fifth - 500));

        assertThat(connack("alice", RIGHT)).as("the right password still works").isZero();
        guesses.add("After-Success-Guess");
        assertThat(refusalMillis("After-Success-Guess"))
                .as("a refusal right after a success (ms), against the 5th's %d ms", fifth)
                .isLessThan(fifth - 500);

        List<String> lines = log.lines();
        assertThat(lines)
                .as("the refusals are logged")
                .anySatisfy(line -> assertThat(line).contains("alice").contains("not authorised"));
        for (String secret : withRight(guesses)) {
            assertThat(lines)
                    .as("log lines containing a password")
                    .noneSatisfy(line -> assertThat(line).contains(secret));
        }
    }

    private long refusalMillis(String guess) {
        long start = System.nanoTime();
        int connack = connack("alice", guess);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(connack).as("CONNACK for a wrong password").isEqualTo(5);
        return elapsed;
    }

    private int connack(String user, String password) {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.write(Packets.connect(4, "guesser", Optional.of(user), Optional.of(password.getBytes(UTF_8)), null));
            byte[] answer = client.next(ANSWER);
            if (answer == null || RawMqttClient.type(answer) != RawMqttClient.CONNACK) {
                throw new AssertionError("expected CONNACK, found " + RawMqttClient.describe(answer));
            }
            return answer[3];
        }
    }

    private static List<String> withRight(List<String> guesses) {
        List<String> all = new ArrayList<>(guesses);
        all.add(RIGHT);
        return all;
    }
}
