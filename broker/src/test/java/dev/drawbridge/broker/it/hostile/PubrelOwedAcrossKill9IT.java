package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.Wire.concat;
import static dev.drawbridge.broker.it.hostile.Wire.packet;
import static dev.drawbridge.broker.it.hostile.Wire.u16;
import static dev.drawbridge.broker.it.hostile.Wire.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "A PUBREL owed to a persistent session is sent again after a crash, never its PUBLISH" (MQTT-4.4.0-1, MQTT 3.1.1
 * section 4.3.3): the broker runs as {@code java -jar drawbridge.jar} with {@code persistence true}, delivers a QoS 2
 * message to a persistent subscriber, gets its PUBREC and answers PUBREL; the subscriber withholds PUBCOMP and the
 * broker dies of {@code kill -9}. After the restart the subscriber's first packet after CONNACK is that PUBREL; its
 * PUBCOMP ends the flow, so that neither a reconnect nor a second {@code kill -9} brings it back.
 *
 * <p>In {@code persistence_mode durable} the PUBREL leaves once the store has it on disk, and a persistent CONNACK
 * once every change before it is; in {@code autosave} mode (1 s here) the test lets more than two intervals pass
 * instead, as {@code AutosaveKill9IT} does.
 */
class PubrelOwedAcrossKill9IT {

    private static final Duration ANSWER = Duration.ofSeconds(10);

    /** Exit status of a JVM that died of SIGKILL: 128 + 9. */
    private static final int KILLED = 137;

    /** How the store saves, and how the test knows that what came before is saved. */
    enum Mode {
        DURABLE("durable"),
        AUTOSAVE("autosave\nautosave_interval 1");

        final String conf;

        Mode(String conf) {
            this.conf = conf;
        }

        /** Durable mode saved it before the acknowledgement the test has read; autosave within two intervals. */
        void letTheStoreSave() {
            if (this == AUTOSAVE) {
                long from = System.nanoTime();
                Duration twoIntervals = Duration.ofMillis(2500);
                await("two autosave intervals")
                        .atMost(twoIntervals.plusSeconds(5))
                        .until(() -> System.nanoTime() - from > twoIntervals.toNanos());
            }
        }
    }

    @TempDir
    Path dir;

    private @Nullable ClientProcess broker;
    private final List<RawSocket> sockets = new ArrayList<>();

    @AfterEach
    void stop() {
        sockets.forEach(RawSocket::close);
        if (broker != null) {
            broker.close();
        }
    }

    /** MQTT 3.1.1 CONNECT, answered by CONNACK 0 with the expected session-present flag. */
    private RawSocket connect(int port, String clientId, boolean clean, boolean sessionPresent) {
        RawSocket socket = RawSocket.open(port);
        sockets.add(socket);
        socket.send(packet(
                0x10, concat(utf8("MQTT"), new byte[] {4, (byte) (clean ? 0x02 : 0x00)}, u16(60), utf8(clientId))));
        assertThat(Wire.describe(socket.expectPacket(ANSWER)))
                .as("CONNACK for %s", clientId)
                .isEqualTo(Wire.describe(Wire.bytes(sessionPresent ? "20 02 01 00" : "20 02 00 00")));
        return socket;
    }

    private static void expect(RawSocket socket, int type, int packetId) {
        assertThat(Wire.describe(socket.expectPacket(ANSWER))).isEqualTo(Wire.describe(packet(type, u16(packetId))));
    }

    /** A clean-session publisher sends one QoS 2 message to door/cmd and completes its flow. */
    private void publishQos2(int port, String payload) {
        RawSocket pub = connect(port, "sensor", true, false);
        pub.send(packet(0x34, concat(utf8("door/cmd"), u16(1), payload.getBytes(UTF_8))));
        expect(pub, 0x50, 1); // PUBREC
        pub.send(packet(0x62, u16(1))); // PUBREL
        expect(pub, 0x70, 1); // PUBCOMP
        pub.send(Wire.DISCONNECT);
    }

    /** Reads a QoS 2 PUBLISH of {@code payload} to door/cmd (DUP=0) and returns its packet id. */
    private static int expectPublish(RawSocket sub, String payload) {
        byte[] p = sub.expectPacket(ANSWER);
        byte[] body = Wire.body(p);
        assertThat(Wire.describe(p)).startsWith("PUBLISH q2 r0 ");
        assertThat(p[0] & 0x08).as("DUP of %s", Wire.describe(p)).isZero();
        int at = 2 + "door/cmd".length();
        int packetId = ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
        assertThat(Wire.describe(p))
                .isEqualTo(
                        Wire.describe(packet(0x34, concat(utf8("door/cmd"), u16(packetId), payload.getBytes(UTF_8)))));
        return packetId;
    }

    /** The subscriber answers a delivery with PUBREC, gets the PUBREL and completes it. */
    private static void complete(RawSocket sub, int packetId) {
        sub.send(packet(0x50, u16(packetId))); // PUBREC
        expect(sub, 0x62, packetId); // PUBREL
        sub.send(packet(0x70, u16(packetId))); // PUBCOMP
    }

    /** Disconnects and waits until the broker has closed the socket, so that it has handled everything sent before. */
    private static void disconnect(RawSocket socket) {
        socket.send(Wire.DISCONNECT);
        assertThat(socket.read(ANSWER)).isInstanceOf(RawSocket.Closed.class);
    }

    private void kill9AndRestart(Path conf) throws Exception {
        ClientProcess killed = broker;
        assertThat(killed).isNotNull();
        BrokerJar.signal(killed, "KILL");
        assertThat(killed.waitFor(ANSWER)).as("exit status after kill -9").isEqualTo(KILLED);
        broker = BrokerJar.start(dir, "-c", conf.toString());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPubrelOwedIsSentAgainAfterKill9InsteadOfThePublishAndEndsWithPubcomp(Mode mode) throws Exception {
        int port = Ports.free();
        Path store = Files.createDirectories(dir.resolve("store"));
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store
                        + "\npersistence_mode " + mode.conf + "\n",
                UTF_8);
        broker = BrokerJar.start(dir, "-c", conf.toString());

        RawSocket sub = connect(port, "watcher", false, false);
        sub.send(Wire.subscribe(1, "door/#", 2));
        assertThat(Wire.describe(sub.expectPacket(ANSWER))).startsWith("SUBACK id=1 codes=02");
        publishQos2(port, "OPEN");
        int owed = expectPublish(sub, "OPEN");
        sub.send(packet(0x50, u16(owed))); // PUBREC; the PUBCOMP is withheld
        expect(sub, 0x62, owed); // PUBREL: in durable mode sent once the store owes it
        mode.letTheStoreSave();

        kill9AndRestart(conf);

        sub = connect(port, "watcher", false, true);
        expect(sub, 0x62, owed); // the PUBREL again, first after the CONNACK
        // Control: the next message arrives, and had the broker sent OPEN again, OPEN would have come before it.
        publishQos2(port, "CLOSE");
        int next = expectPublish(sub, "CLOSE");
        sub.send(packet(0x70, u16(owed))); // PUBCOMP: the flow of OPEN is over
        complete(sub, next);
        disconnect(sub);

        sub = connect(port, "watcher", false, true);
        publishQos2(port, "LATER");
        int later = expectPublish(sub, "LATER"); // the first packet after the CONNACK: no PUBREL is owed any more
        complete(sub, later);
        disconnect(sub);
        connect(port, "watcher", false, true); // in durable mode this CONNACK waits until every PUBCOMP is on disk
        mode.letTheStoreSave();

        kill9AndRestart(conf);

        sub = connect(port, "watcher", false, true);
        publishQos2(port, "LAST");
        assertThat(expectPublish(sub, "LAST"))
                .as("the first packet after the CONNACK of the third life: nothing is owed")
                .isPositive();
    }

    @Test
    void afterKill9TheOwedPubrelTakesItsPlaceAmongTheMessagesStillInFlight() throws Exception {
        int port = Ports.free();
        Path store = Files.createDirectories(dir.resolve("store"));
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store
                        + "\n",
                UTF_8);
        broker = BrokerJar.start(dir, "-c", conf.toString());
        RawSocket sub = connect(port, "watcher", false, false);
        sub.send(Wire.subscribe(1, "door/#", 2));
        assertThat(Wire.describe(sub.expectPacket(ANSWER))).startsWith("SUBACK id=1 codes=02");
        publishQos2(port, "FIRST");
        publishQos2(port, "SECOND");
        publishQos2(port, "THIRD");
        int first = expectPublish(sub, "FIRST");
        int second = expectPublish(sub, "SECOND");
        int third = expectPublish(sub, "THIRD");
        sub.send(packet(0x50, u16(second))); // PUBREC for the middle one only
        expect(sub, 0x62, second); // PUBREL: durable mode sends it once the store owes it

        kill9AndRestart(conf);

        sub = connect(port, "watcher", false, true);
        assertThat(Wire.describeAll(
                        List.of(sub.expectPacket(ANSWER), sub.expectPacket(ANSWER), sub.expectPacket(ANSWER))))
                .as("sent again in the order first sent: the messages not received with DUP=1, the PUBREL in between")
                .containsExactly(
                        Wire.describe(packet(0x3c, concat(utf8("door/cmd"), u16(first), "FIRST".getBytes(UTF_8)))),
                        Wire.describe(packet(0x62, u16(second))),
                        Wire.describe(packet(0x3c, concat(utf8("door/cmd"), u16(third), "THIRD".getBytes(UTF_8)))));
    }
}
