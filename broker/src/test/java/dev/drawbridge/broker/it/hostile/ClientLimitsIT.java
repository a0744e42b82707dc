package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.hostile.RawSocket.Closed;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_client_id_length} (default 256 bytes: a longer id gets CONNACK 0x02, and the log shows only its start),
 * {@code max_topic_length} and {@code max_topic_levels} (default 65,535 bytes and 201 levels: a longer or deeper
 * PUBLISH topic, will topic or SUBSCRIBE/UNSUBSCRIBE filter closes the connection), over raw sockets.
 */
class ClientLimitsIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    /** CONNACK, return code 0x02 (identifier rejected). */
    private static final String IDENTIFIER_REJECTED = Wire.describe(Wire.bytes("20 02 00 02"));

    @TempDir
    Path dir;

    private Drawbridge broker;
    private final LogCapture log = LogCapture.connections();

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        log.close();
    }

    @Test
    void aClientIdOfMoreThan256BytesIsRejectedAndNotLoggedWhole() throws Exception {
        int port = start(); // the defaults
        String longest = "i".repeat(256);
        String tooLong = "secret-device-" + "x".repeat(243); // 257 bytes

        try (RawSocket ok = RawSocket.open(port)) {
            ok.send(Wire.connect(longest));
            assertThat(Wire.describe(ok.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        }
        try (RawSocket refused = RawSocket.open(port)) {
            refused.send(Wire.connect(tooLong));
            assertThat(Wire.describe(refused.expectPacket(ANSWER))).isEqualTo(IDENTIFIER_REJECTED);
            assertThat(refused.read(ANSWER)).isInstanceOf(Closed.class);
            String peer = refused.peer();
            log.await(
                    m -> m.equals("Client from " + peer + " refused: client id of 257 bytes ('secret-device-"
                            + "x".repeat(18) + "...') exceeds max_client_id_length 256."),
                    ANSWER);
        }
        assertThat(log.messages()).noneMatch(m -> m.contains(tooLong));
    }

    @Test
    void theClientIdLimitCountsBytesOfUtf8() throws Exception {
        int port = start("max_client_id_length 8");

        try (RawSocket ok = RawSocket.open(port)) {
            ok.send(Wire.connect("t\u00fcrt\u00fcr")); // 6 characters, 8 bytes
            assertThat(Wire.describe(ok.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        }
        try (RawSocket refused = RawSocket.open(port)) {
            refused.send(Wire.connect("t\u00fcrt\u00fcre")); // 7 characters, 9 bytes
            assertThat(Wire.describe(refused.expectPacket(ANSWER))).isEqualTo(IDENTIFIER_REJECTED);
            assertThat(refused.read(ANSWER)).isInstanceOf(Closed.class);
        }
    }

    @Test
    void topicsUpToTheLimitsPassAndOneBeyondClosesTheConnection() throws Exception {
        int port = start("max_topic_length 16", "max_topic_levels 3");
        String sixteen = "garage/door/left"; // 16 bytes, 3 levels

        try (RawSocket client = connected(port, "topics-ok")) {
            client.send(Wire.subscribe(1, "other/+/#", 1)); // 3 levels
            assertThat(Wire.describe(client.expectPacket(ANSWER)))
                    .isEqualTo(Wire.describe(Wire.bytes("90 03 0001 01")));
            client.send(Wire.publishQos1(2, sixteen, "hi".getBytes(UTF_8)));
            assertThat(Wire.describe(client.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.pubAck(2)));
        }

        assertClosedWithReason(
                port,
                Wire.publishQos1(1, sixteen + "x", "hi".getBytes(UTF_8)),
                "PUBLISH topic 'garage/door/leftx' has 17 bytes, more than max_topic_length 16");
        assertClosedWithReason(
                port,
                Wire.publishQos1(1, "a/b/c/d", "hi".getBytes(UTF_8)),
                "PUBLISH topic 'a/b/c/d' has 4 levels, more than max_topic_levels 3");
        assertClosedWithReason(
                port,
                Wire.subscribe(1, "a/b/c/#", 0),
                "topic filter 'a/b/c/#' has 4 levels, more than max_topic_levels 3");
        assertClosedWithReason(
                port,
                Wire.packet(0xa2, Wire.concat(Wire.u16(1), Wire.utf8("garages/doors/all"))), // UNSUBSCRIBE, 3 levels
                "topic filter 'garages/doors/all' has 17 bytes, more than max_topic_length 16");
    }

    @Test
    void aWillTopicBeyondTheLimitClosesTheConnectionWithoutAConnack() throws Exception {
        int port = start("max_topic_levels 2");

        try (RawSocket socket = RawSocket.open(port)) {
            String peer = socket.peer();
            socket.send(Wire.packet(
                    0x10,
                    Wire.concat(
                            Wire.utf8("MQTT"), // protocol name
                            new byte[] {4, 0x06}, // level 4, will flag + clean session
                            Wire.u16(60), // keepalive 60 s
                            Wire.utf8("will-deep"), // client id
                            Wire.utf8("a/b/c"), // will topic: 3 levels
                            Wire.utf8("gone")))); // will message
            assertThat(socket.read(ANSWER)).isInstanceOf(Closed.class);
            log.await(
                    m -> m.contains(peer)
                            && m.contains("will topic 'a/b/c' has 3 levels, more than max_topic_levels 2"),
                    ANSWER);
        }
    }

    @Test
    void byDefaultTwoHundredAndOneLevelsPassAndTwoHundredAndTwoDoNot() throws Exception {
        int port = start();

        try (RawSocket client = connected(port, "deep-ok")) {
            client.send(Wire.publishQos1(1, HostileCases.deep(201), "hi".getBytes(UTF_8)));
            assertThat(Wire.describe(client.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.pubAck(1)));
        }
        assertClosedWithReason(
                port,
                Wire.publishQos1(1, HostileCases.deep(202), "hi".getBytes(UTF_8)),
                "has 202 levels, more than max_topic_levels 201");
    }

    private void assertClosedWithReason(int port, byte[] packet, String reason) {
        try (RawSocket client = connected(port, "limits-" + Integer.toHexString(reason.hashCode()))) {
            String peer = client.peer();
            client.send(packet);
            assertThat(client.read(ANSWER)).as(reason).isInstanceOf(Closed.class);
            log.await(m -> m.contains(peer) && m.contains("broke the protocol") && m.contains(reason), ANSWER);
        }
    }

    private static RawSocket connected(int port, String clientId) {
        RawSocket socket = RawSocket.open(port);
        socket.send(Wire.connect(clientId));
        assertThat(Wire.describe(socket.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        return socket;
    }

    private int start(String... lines) throws Exception {
        StringBuilder conf = new StringBuilder("listener 0 127.0.0.1\nallow_anonymous true\n");
        for (String line : lines) {
            conf.append(line).append('\n');
        }
        broker = Drawbridge.start(Files.writeString(dir.resolve("mosquitto.conf"), conf));
        return broker.port();
    }
}
