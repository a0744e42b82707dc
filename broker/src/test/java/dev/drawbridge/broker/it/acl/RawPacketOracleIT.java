package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.acl.Oracle.Row;
import dev.drawbridge.broker.it.differential.DifferentialIT;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rows of {@code raw-cases.tsv}, MQTT 3.1.1 and MQTT 5 each in its own protocol: raw packets on a socket and the
 * exact bytes the broker answers, against the oracle's setup ({@code allow_anonymous false}, {@code acl1-basic.acl},
 * {@code acl-passwd}). Over MQTT 5 that is Mosquitto 2.0.11's forms: a CONNACK with its properties (or 0x87 and no
 * properties when refused), PUBACK/PUBREC with reason code 0x10 (no subscribers) or 0x87 (denied) and the connection
 * still up. Then a few probes the oracle did not record, where MQTT 3.1.1 itself says what must happen.
 */
class RawPacketOracleIT {

    /** How long to wait for an answer that must come. */
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private static final Map<String, String> USERS = Oracle.aclUsers();
    private static Drawbridge broker;

    @BeforeAll
    static void start(@TempDir Path dir) {
        broker = TestBrokers.start(
                dir,
                "allow_anonymous false",
                "password_file " + TestBrokers.copyOracle(dir, "acl-passwd"),
                "acl_file " + TestBrokers.copyOracle(dir, "acl1-basic.acl"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Every row but R14, which has its own test below. */
    static Stream<Arguments> cases() {
        return Oracle.rows("raw-cases.tsv").stream()
                .filter(row -> !row.get("case").equals("R14"))
                .map(row -> Arguments.of(row, row.get("description")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void brokerAnswersWithMosquittosBytes(Row row, String description) {
        answersLikeMosquitto(row, description);
    }

    @Test
    void r14PasswordWithoutUsernameIsClosedWithoutConnack() {
        Row r14 = Oracle.rows("raw-cases.tsv").stream()
                .filter(row -> row.get("case").equals("R14"))
                .findFirst()
                .orElseThrow();
        answersLikeMosquitto(r14, r14.get("description"));
    }

    private static void answersLikeMosquitto(Row row, String description) {
        boolean v5 = level(row) == 5;
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.write(connectFor(row, description));
            String connack = row.get("connack");
            if (connack.equals("None")) {
                // MQTT-3.1.2-22: a password without a username is a protocol error: close, no CONNACK.
                assertAnswer(client.next(ANSWER), null, row + " answer to CONNECT");
                assertThat(client.awaitClosed(ANSWER)).as("connection closed").isTrue();
                return;
            }
            int code = Integer.decode(connack);
            byte[] expectedConnack = !v5
                    ? Packets.connack(code)
                    : code == 0
                            ? Packets.connack5Accepted()
                            // Mosquitto's refusal, and the reason string Drawbridge adds on purpose.
                            : Packets.connack5Refused(code, DifferentialIT.refusalReason(code));
            assertAnswer(client.next(ANSWER), expectedConnack, row + " answer to CONNECT");
            if (code != 0) {
                assertThat(client.awaitClosed(ANSWER)).as("connection closed").isTrue();
                return;
            }
            int qos = Integer.parseInt(row.get("qos"));
            byte[] payload = ("raw " + row).getBytes(UTF_8);
            client.write(
                    v5
                            ? Packets.publish5(row.get("topic"), payload, qos, false, 1, List.of())
                            : Packets.publish(row.get("topic"), payload, qos, false, 1));
            String ack = row.get("ack");
            if (ack.startsWith("PUBACK") || ack.startsWith("PUBREC")) {
                int type = ack.startsWith("PUBACK") ? RawMqttClient.PUBACK : RawMqttClient.PUBREC;
                byte[] expected = v5 ? Packets.ack5(type, 1, reasonCode(row, ack)) : Packets.ack(type, 1);
                assertAnswer(client.next(ANSWER), expected, row + " answer to PUBLISH");
            } // else QoS 0: no answer, which the PINGRESP coming next proves
            assertThat(row.get("after")).isEqualTo("PINGRESP (still connected)");
            client.write(Packets.PINGREQ);
            assertAnswer(client.next(ANSWER), Packets.PINGRESP, row + " answer to PINGREQ");
        }
    }

    /** MQTT 3.1.1 section 4.3.3: the receiver answers PUBREL with PUBCOMP, also for a PUBLISH the ACL dropped. */
    @Test
    void deniedQos2PublishCompletesItsHandshake() {
        try (RawMqttClient client = RawMqttClient.connected(
                broker.port(), 4, "raw-pubrel", Optional.of("alice"), Optional.of(USERS.get("alice")))) {
            client.write(Packets.publish("garage/cmd", "x".getBytes(UTF_8), 2, false, 7));
            assertAnswer(client.next(ANSWER), Packets.ack(RawMqttClient.PUBREC, 7), "answer to PUBLISH");
            client.write(Packets.ack(6, 7)); // PUBREL
            assertAnswer(client.next(ANSWER), Packets.ack(7, 7), "answer to PUBREL");
            client.ping();
        }
    }

    /**
     * MQTT 3.1.1 section 3.1.4: a client may send packets right after CONNECT without waiting for the CONNACK. A
     * SUBSCRIBE in the same TCP segment as the CONNECT gets its SUBACK, as with Mosquitto.
     */
    @Test
    void pipelinedSubscribeAfterConnectIsAnswered() {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            client.write(concat(
                    Packets.connect(4, "raw-pipelined", Optional.of("alice"), password("alice"), null),
                    Packets.subscribe(1, "home/alice/#", 1)));

            assertAnswer(client.next(ANSWER), Packets.connack(0), "answer to CONNECT");
            assertAnswer(client.next(ANSWER), new byte[] {(byte) 0x90, 0x03, 0x00, 0x01, 0x01}, "answer to SUBSCRIBE");
        }
    }

    /**
     * MQTT 3.1.1 section 3.14.4: on DISCONNECT the server discards the will and closes the connection, also when the
     * DISCONNECT follows the CONNECT without waiting for the CONNACK.
     */
    @Test
    void pipelinedDisconnectDiscardsTheWill() {
        try (RawMqttClient observer = RawMqttClient.connected(
                        broker.port(), 4, "raw-will-observer", Optional.of("admin"), Optional.of(USERS.get("admin")));
                RawMqttClient alice = RawMqttClient.open(broker.port())) {
            observer.subscribe("home/alice/#", 1);
            alice.write(concat(
                    Packets.connect(
                            4,
                            "raw-will",
                            Optional.of("alice"),
                            password("alice"),
                            new RawMqttClient.Will("home/alice/will", "gone", 1, false)),
                    Packets.DISCONNECT));

            assertAnswer(alice.next(ANSWER), Packets.connack(0), "answer to CONNECT");
            assertThat(alice.awaitClosed(ANSWER))
                    .as("closed by the broker after DISCONNECT")
                    .isTrue();
            // A new login with the same client id runs after the old session's end, the observer's barrier after that.
            RawMqttClient.connected(broker.port(), 4, "raw-will", Optional.of("alice"), Optional.of(USERS.get("alice")))
                    .disconnect();
            observer.barrier();
            assertThat(observer.publishes()).isEmpty();
        }
    }

    /** A PUBLISH sent in the same TCP segment as a refused CONNECT is never delivered. */
    @Test
    void publishPipelinedAfterARefusedConnectIsDropped() {
        try (RawMqttClient observer = RawMqttClient.connected(
                        broker.port(), 4, "raw-observer", Optional.of("admin"), Optional.of(USERS.get("admin")));
                RawMqttClient intruder = RawMqttClient.open(broker.port())) {
            observer.subscribe("pipelined/#", 1);
            intruder.write(concat(
                    Packets.connect(
                            4, "raw-intruder", Optional.of("admin"), Optional.of("guess".getBytes(UTF_8)), null),
                    Packets.publish("pipelined/x", "sneaked in".getBytes(UTF_8), 0, false, 0),
                    Packets.publish("pipelined/x", "sneaked in".getBytes(UTF_8), 1, false, 2)));

            assertAnswer(intruder.next(ANSWER), Packets.connack(5), "answer to CONNECT");
            assertThat(intruder.awaitClosed(ANSWER)).as("connection closed").isTrue();
            observer.barrier();
            assertThat(observer.publishes()).isEmpty();
        }
    }

    private static byte[] connectFor(Row row, String description) {
        Optional<String> user = Oracle.username(row);
        Optional<byte[]> password;
        if (description.contains("wrong password")) {
            password = Optional.of("wrong-password".getBytes(UTF_8));
        } else if (description.contains("password flag without username")) {
            password = Optional.of("alicepw".getBytes(UTF_8));
        } else {
            password = user.flatMap(RawPacketOracleIT::password);
        }
        return Packets.connect(level(row), "raw-" + row, user, password, null);
    }

    private static int level(Row row) {
        return switch (row.get("protocol")) {
            case "3.1.1" -> 4;
            case "5" -> 5;
            default -> throw new IllegalArgumentException(row + ": unknown protocol " + row.get("protocol"));
        };
    }

    /** The reason code an MQTT 5 row recorded, as in {@code PUBACK rc=0x87}. */
    private static int reasonCode(Row row, String ack) {
        int at = ack.indexOf("rc=0x");
        if (at < 0) {
            throw new IllegalArgumentException(row + ": no MQTT 5 reason code in '" + ack + "'");
        }
        return Integer.parseInt(ack.substring(at + 5, at + 7), 16);
    }

    private static Optional<byte[]> password(String user) {
        return Optional.ofNullable(USERS.get(user)).map(p -> p.getBytes(UTF_8));
    }

    /** Compares the decoded packets, so that a mismatch shows what each one is, then its bytes. */
    private static void assertAnswer(byte @Nullable [] actual, byte @Nullable [] expected, String what) {
        assertThat(RawMqttClient.describe(actual)).as(what).isEqualTo(RawMqttClient.describe(expected));
    }

    private static byte[] concat(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }
}
