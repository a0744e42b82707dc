package dev.drawbridge.broker.it.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.acl.Oracle.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code acl-cases.tsv} against the real broker on a socket, over MQTT 3.1.1 and again over MQTT 3.1, as
 * {@link AclCaseReplay} sets it up (one broker per ACL file, as the oracle ran).
 *
 * <p>The rows recorded over MQTT 5 (acl1-071 to acl1-075, acl2-025) are checked here over 3.1.1 and 3.1 (their
 * verdicts do not depend on the protocol); {@code Mqtt5AclIT} replays every row over MQTT 5 with its reason codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclOracleIT {

    /** The protocol the row's own client speaks. */
    enum Protocol {
        MQTT_3_1_1(4),
        MQTT_3_1(3);

        final int level;

        Protocol(int level) {
            this.level = level;
        }

        @Override
        public String toString() {
            return level == 4 ? "3.1.1" : "3.1";
        }
    }

    private AclCaseReplay replay;

    @BeforeAll
    void startBrokers(@TempDir Path dir) throws Exception {
        replay = AclCaseReplay.start(dir, this::securityLines);
    }

    /** How the config names the oracle's password and ACL files: Mosquitto 2.0's options. */
    List<String> securityLines(Path passwd, Path acl) {
        return List.of("password_file " + passwd, "acl_file " + acl);
    }

    @AfterAll
    void stopBrokers() {
        replay.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(Protocol.values())
                .flatMap(p -> Oracle.rows("acl-cases.tsv").stream().map(row -> Arguments.of(row, p)));
    }

    @ParameterizedTest(name = "{0} over MQTT {1}")
    @MethodSource("cases")
    void rowGetsMosquittosAnswer(Row row, Protocol protocol) {
        replay.replay(row, protocol.level);
    }

    /**
     * A client that logs in again with its client id while the broker is still ending its old connection (a session
     * takeover) keeps the read rights of its new connection.
     */
    @Test
    void aTakeoverKeepsTheNewConnectionsReadRights() {
        int port = replay.port("acl1-basic.acl");
        Optional<String> alice = Optional.of(replay.password("alice"));
        for (int round = 0; round < 20; round++) {
            String gone = "Client takeover closed its connection.";
            long goneBefore = replay.logged(gone);
            try (RawMqttClient old = RawMqttClient.connected(port, 4, "takeover", Optional.of("alice"), alice);
                    RawMqttClient fresh = RawMqttClient.connected(port, 4, "takeover", Optional.of("alice"), alice)) {
                fresh.subscribe("home/alice/#", 1);
                assertThat(old.awaitClosed(AclCaseReplay.DELIVERY))
                        .as("old connection closed by the takeover")
                        .isTrue();
                replay.awaitLogged(gone, goneBefore);
                String payload = "round " + round;
                replay.publish("acl1-basic.acl", "home/alice/takeover", payload);
                fresh.barrier();
                assertThat(fresh.received("home/alice/takeover", payload))
                        .as("round %d: the new connection receives what alice may read", round)
                        .isTrue();
                fresh.disconnect();
            }
        }
    }
}
