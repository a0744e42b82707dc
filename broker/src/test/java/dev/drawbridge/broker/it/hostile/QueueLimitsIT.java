package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.hostile.RawSocket.Packet;
import dev.drawbridge.broker.it.hostile.RawSocket.Read;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code max_queued_messages} and {@code max_queued_bytes}: the QoS 1 messages queued for an offline persistent
 * client stop at whichever limit comes first (a message is queued while the queue is below both, as in Mosquitto, so
 * the bytes may pass their limit by one message); the rest are dropped, counted in
 * {@code $SYS/broker/publish/messages/dropped} and logged once. For an online client, only what waits beyond its
 * in-flight slots counts.
 */
class QueueLimitsIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final int SENT = 10;

    @TempDir
    Path dir;

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of(
                        "max_queued_messages 3 (bytes unlimited)",
                        List.of("max_queued_messages 3"),
                        100,
                        3,
                        "max_queued_messages 3"),
                Arguments.of(
                        "max_queued_bytes 1000 (messages unlimited): 300, 600, 900, 1200 bytes queued",
                        List.of("max_queued_messages 0", "max_queued_bytes 1000"),
                        300,
                        4,
                        "max_queued_bytes 1000"),
                Arguments.of(
                        "both, the bytes first",
                        List.of("max_queued_messages 5", "max_queued_bytes 1000"),
                        300,
                        4,
                        "max_queued_bytes 1000"),
                Arguments.of(
                        "both, the messages first",
                        List.of("max_queued_messages 5", "max_queued_bytes 1000"),
                        100,
                        5,
                        "max_queued_messages 5"),
                Arguments.of("no limits", List.of("max_queued_messages 0", "max_queued_bytes 0"), 300, 10, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void anOfflineClientsQueueStopsAtTheFirstLimit(
            String description, List<String> options, int payloadBytes, int queued, String limitLogged)
            throws Exception {
        List<String> conf = new ArrayList<>(List.of("listener 0 127.0.0.1", "allow_anonymous true", "sys_interval 1"));
        conf.addAll(options);
        Path file = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", conf) + "\n");
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.queues");
                Drawbridge broker = Drawbridge.start(file)) {
            int port = broker.port();
            try (RawSocket subscriber = persistent(port)) {
                subscriber.send(Wire.subscribe(1, "queued/#", 1));
                assertThat(Wire.describe(subscriber.expectPacket(ANSWER)))
                        .isEqualTo(Wire.describe(Wire.bytes("90 03 0001 01")));
                subscriber.send(Wire.DISCONNECT);
                // The broker closes it: from then on its session is offline and everything sent to it is queued.
                assertThat(subscriber.read(ANSWER)).isInstanceOf(RawSocket.Closed.class);
            }
            try (RawSocket publisher = RawSocket.open(port)) {
                publisher.send(Wire.connect("queue-publisher"));
                assertThat(Wire.describe(publisher.expectPacket(ANSWER)))
                        .isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
                for (int id = 1; id <= SENT; id++) {
                    byte[] payload = new byte[payloadBytes];
                    Arrays.fill(payload, (byte) ('0' + id % 10));
                    publisher.send(Wire.publishQos1(id, "queued/" + id, payload));
                    assertThat(Wire.describe(publisher.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.pubAck(id)));
                }
            }

            List<String> delivered = new ArrayList<>();
            try (RawSocket subscriber = persistent(port)) {
                while (subscriber.read(Duration.ofMillis(1500)) instanceof Packet p) {
                    delivered.add(topic(p.bytes()));
                    subscriber.send(Wire.pubAck(packetId(p.bytes())));
                }
            }

            List<String> first = new ArrayList<>();
            for (int id = 1; id <= queued; id++) {
                first.add("queued/" + id);
            }
            assertThat(delivered).as("%s: delivered on reconnect", description).isEqualTo(first);
            assertSysDropped(port, SENT - queued);
            if (limitLogged.isEmpty()) {
                assertThat(log.messages()).noneMatch(m -> m.contains("dropped"));
            } else {
                assertThat(log.messages())
                        .containsExactly("Outgoing messages are being dropped for client queue-subscriber: "
                                + limitLogged + " reached.");
            }
        }
    }

    /**
     * Mosquitto counts only the messages that wait beyond {@code max_inflight_messages} (20 here) for an online
     * client: those that waited for a client that has just reconnected are sent into flight at once and leave the
     * queue's room to the next message. Drawbridge sends them from the session's drain on the connection's loop, a
     * moment after the CONNACK; a message routed in that moment must fit too. To hold that moment still, the
     * reconnected client reads nothing but its CONNACK while a 16 MB message, in flight since its last connection, is
     * sent again: far more than the socket buffers take (a few MB on Linux), so the socket stays full and the drain
     * sends nothing until the client reads.
     */
    @Test
    void messagesThatWaitedForAReconnectedClientLeaveRoomForTheNextOne() throws Exception {
        List<String> conf = List.of(
                "listener 0 127.0.0.1", "allow_anonymous true", "max_queued_messages 2", "max_packet_size 20000000");
        Path file = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", conf) + "\n");
        byte[] big = new byte[16 << 20];
        try (Drawbridge broker = Drawbridge.start(file);
                RawSocket publisher = RawSocket.open(broker.port())) {
            int port = broker.port();
            publisher.send(Wire.connect("queue-publisher"));
            assertThat(Wire.describe(publisher.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
            try (RawSocket subscriber = persistent(port)) {
                subscriber.send(Wire.subscribe(1, "queued/#", 1));
                assertThat(Wire.describe(subscriber.expectPacket(ANSWER)))
                        .isEqualTo(Wire.describe(Wire.bytes("90 03 0001 01")));
                publishAcknowledged(publisher, 1, "queued/big", big);
                assertThat(topic(subscriber.expectPacket(ANSWER)))
                        .as("received, never acknowledged: in flight")
                        .isEqualTo("queued/big");
                subscriber.send(Wire.DISCONNECT);
                assertThat(subscriber.read(ANSWER)).isInstanceOf(RawSocket.Closed.class);
            }
            publishAcknowledged(publisher, 2, "queued/1", new byte[] {1});
            publishAcknowledged(publisher, 3, "queued/2", new byte[] {2});
            // The queue of the offline session is full: this one is dropped, so the limit is in force.
            publishAcknowledged(publisher, 4, "queued/over-the-limit", new byte[] {3});

            try (RawSocket subscriber = persistent(port)) { // reads the CONNACK and nothing more for now
                publishAcknowledged(publisher, 5, "queued/3", new byte[] {4});

                List<String> delivered = new ArrayList<>();
                while (delivered.size() < 4 && subscriber.read(ANSWER) instanceof Packet p) {
                    delivered.add(topic(p.bytes()) + ((p.bytes()[0] & 0x08) != 0 ? " dup" : ""));
                }
                assertThat(delivered)
                        .as("sent again, then what waited, then what came right after the CONNACK")
                        .containsExactly("queued/big dup", "queued/1", "queued/2", "queued/3");
                subscriber.send(Wire.PINGREQ);
                assertThat(Wire.describe(subscriber.expectPacket(ANSWER)))
                        .as("nothing after them: the message over the limit stayed dropped")
                        .isEqualTo(Wire.describe(Wire.PINGRESP));
            }
        }
    }

    private static void publishAcknowledged(RawSocket publisher, int id, String topic, byte[] payload) {
        publisher.send(Wire.publishQos1(id, topic, payload));
        assertThat(Wire.describe(publisher.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.pubAck(id)));
    }

    /** CONNECT as "queue-subscriber" with clean session 0, so its session and queue outlive the connection. */
    private static RawSocket persistent(int port) {
        RawSocket socket = RawSocket.open(port);
        socket.send(Wire.packet(
                0x10,
                Wire.concat(
                        Wire.utf8("MQTT"), // protocol name
                        new byte[] {4, 0x00}, // level 4, clean session 0
                        Wire.u16(60), // keepalive 60 s
                        Wire.utf8("queue-subscriber"))));
        byte[] connack = socket.expectPacket(ANSWER);
        assertThat(connack[3])
                .as("CONNACK return code: %s", Wire.describe(connack))
                .isZero();
        return socket;
    }

    private static void assertSysDropped(int port, int expected) {
        try (RawSocket watcher = RawSocket.open(port)) {
            watcher.send(Wire.connect("queue-sys-watcher"));
            assertThat(Wire.describe(watcher.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
            watcher.send(Wire.subscribe(1, "$SYS/broker/publish/messages/dropped", 0));
            List<String> seen = new ArrayList<>();
            Awaitility.await("$SYS/broker/publish/messages/dropped = " + expected)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        Read read = watcher.read(Duration.ofMillis(500));
                        if (read instanceof Packet p && (p.bytes()[0] & 0xf0) == 0x30) {
                            seen.add(payload(p.bytes()));
                        }
                        return seen.contains(Integer.toString(expected));
                    });
        }
    }

    private static String topic(byte[] publish) {
        byte[] body = Wire.body(publish);
        int length = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        return new String(body, 2, length, UTF_8);
    }

    private static int packetId(byte[] publish) {
        byte[] body = Wire.body(publish);
        int at = 2 + (((body[0] & 0xff) << 8) | (body[1] & 0xff));
        return ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
    }

    /** The payload of a QoS 0 PUBLISH. */
    private static String payload(byte[] publish) {
        byte[] body = Wire.body(publish);
        int at = 2 + (((body[0] & 0xff) << 8) | (body[1] & 0xff));
        return new String(body, at, body.length - at, UTF_8);
    }
}
