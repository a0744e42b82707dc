package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.Wire.concat;
import static dev.drawbridge.broker.it.hostile.Wire.packet;
import static dev.drawbridge.broker.it.hostile.Wire.u16;
import static dev.drawbridge.broker.it.hostile.Wire.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS 2 exactly once (MQTT 3.1.1 section 4.3.3) over raw sockets: a re-sent PUBLISH with a packet id the broker has
 * not yet seen released is answered with PUBREC and not delivered again, whatever its DUP flag, also after a restart
 * for a persistent session; a PUBREL for an id the broker does not know gets PUBCOMP.
 */
class Qos2ExactlyOnceIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(700);

    @TempDir
    Path dir;

    private @Nullable Drawbridge broker;
    private final List<RawSocket> sockets = new ArrayList<>();

    @AfterEach
    void stop() {
        sockets.forEach(RawSocket::close);
        if (broker != null) {
            broker.close();
        }
    }

    private int start() throws Exception {
        if (broker != null) {
            broker.close();
        }
        Path store = Files.createDirectories(dir.resolve("store"));
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store + "\n");
        broker = Drawbridge.start(conf);
        return broker.port();
    }

    private RawSocket connect(int port, String clientId, boolean clean) {
        RawSocket socket = RawSocket.open(port);
        sockets.add(socket);
        socket.send(packet(
                0x10, concat(utf8("MQTT"), new byte[] {4, (byte) (clean ? 0x02 : 0x00)}, u16(60), utf8(clientId))));
        byte[] connack = socket.expectPacket(ANSWER);
        assertThat(connack[0]).as("CONNACK").isEqualTo((byte) 0x20);
        assertThat(connack[3]).as("CONNACK return code").isZero();
        return socket;
    }

    private RawSocket subscriber(int port) {
        RawSocket sub = connect(port, "watcher", true);
        sub.send(Wire.subscribe(1, "door/#", 2));
        assertThat(Wire.describe(sub.expectPacket(ANSWER))).startsWith("SUBACK");
        return sub;
    }

    private static byte[] publishQos2(int packetId, boolean dup, String payload) {
        return packet(dup ? 0x3c : 0x34, concat(utf8("door/cmd"), u16(packetId), payload.getBytes(UTF_8)));
    }

    private static byte[] pubRel(int packetId) {
        return packet(0x62, u16(packetId));
    }

    /** Every PUBLISH the subscriber receives until it has been quiet for a while, completing each QoS 2 flow. */
    private static List<String> received(RawSocket sub) {
        List<String> payloads = new ArrayList<>();
        while (sub.read(QUIET) instanceof RawSocket.Packet p) {
            byte[] b = p.bytes();
            if ((b[0] & 0xf0) != 0x30) {
                continue;
            }
            byte[] body = Wire.body(b);
            int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
            int qos = (b[0] >> 1) & 3;
            int at = 2 + topicLength;
            int id = qos > 0 ? ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff) : 0;
            if (qos > 0) {
                at += 2;
            }
            payloads.add(new String(Wire.slice(body, at, body.length), UTF_8));
            if (qos == 2) {
                sub.send(packet(0x50, u16(id))); // PUBREC; the broker's PUBREL is answered below
            } else if (qos == 1) {
                sub.send(Wire.pubAck(id));
            }
            if (qos == 2 && sub.read(ANSWER) instanceof RawSocket.Packet rel && (rel.bytes()[0] & 0xf0) == 0x60) {
                sub.send(packet(0x70, u16(id)));
            }
        }
        return payloads;
    }

    private static String answer(RawSocket socket) {
        return Wire.describe(socket.expectPacket(ANSWER));
    }

    @Test
    void aRepeatedPacketIdIsAnsweredWithPubrecAndDeliveredOnceUntilReleased() throws Exception {
        int port = start();
        RawSocket sub = subscriber(port);
        RawSocket pub = connect(port, "sensor", true);

        pub.send(publishQos2(7, false, "OPEN"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(7))));
        pub.send(publishQos2(7, true, "OPEN")); // a proper re-send
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(7))));
        pub.send(publishQos2(7, false, "OPEN")); // a re-send without DUP
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(7))));
        assertThat(received(sub)).containsExactly("OPEN");

        pub.send(pubRel(7));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x70, u16(7))));
        // Released: the same id now starts a new message.
        pub.send(publishQos2(7, false, "CLOSE"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(7))));
        assertThat(received(sub)).containsExactly("CLOSE");
    }

    @Test
    void aPubrelForAnUnknownPacketIdGetsPubcomp() throws Exception {
        int port = start();
        RawSocket pub = connect(port, "sensor", true);
        pub.send(pubRel(4242));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x70, u16(4242))));
        pub.send(Wire.PINGREQ);
        assertThat(pub.expectPacket(ANSWER)).isEqualTo(Wire.PINGRESP);
    }

    @Test
    void aFloodOfDuplicatesDeliversTheMessageOnceAndTheBrokerStillServes() throws Exception {
        int port = start();
        RawSocket sub = subscriber(port);
        RawSocket pub = connect(port, "sensor", true);
        // 5,000 copies in bursts of 100, answers read between bursts (a client that never reads would fill its socket
        // with PUBRECs).
        for (int burst = 0; burst < 50; burst++) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                flood.writeBytes(publishQos2(9, burst + i > 0, "OPEN"));
            }
            pub.send(flood.toByteArray());
            for (int i = 0; i < 100; i++) {
                assertThat(answer(pub)).as("answer %d", burst * 100 + i).isEqualTo(Wire.describe(packet(0x50, u16(9))));
            }
        }
        pub.send(pubRel(9));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x70, u16(9))));
        assertThat(received(sub)).containsExactly("OPEN");

        pub.send(publishQos2(10, false, "after"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(10))));
        assertThat(received(sub)).containsExactly("after");
    }

    @Test
    void aPersistentPublishersReceiptSurvivesARestartSoTheResendIsNotDeliveredTwice() throws Exception {
        int port = start();
        RawSocket sub = subscriber(port);
        RawSocket pub = connect(port, "sensor", false);
        pub.send(publishQos2(3, false, "OPEN"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(3))));
        assertThat(received(sub)).containsExactly("OPEN");

        port = start(); // the PUBREC may have been lost with the connection: the client re-sends
        sub = subscriber(port);
        pub = connect(port, "sensor", false);
        pub.send(publishQos2(3, true, "OPEN"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(3))));
        pub.send(pubRel(3));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x70, u16(3))));
        // Positive control: a new message after the release reaches the subscriber, and the re-sent OPEN, routed
        // before it, would have arrived first.
        pub.send(publishQos2(4, false, "after"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x50, u16(4))));
        pub.send(pubRel(4));
        assertThat(answer(pub)).isEqualTo(Wire.describe(packet(0x70, u16(4))));
        assertThat(received(sub)).containsExactly("after");
    }

    @Test
    void aResentQos1PublishIsDeliveredEvenAfterARestart() throws Exception {
        int port = start();
        RawSocket sub = subscriber(port);
        RawSocket pub = connect(port, "sensor", false);
        pub.send(publishQos1(5, false, "OPEN"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(Wire.pubAck(5)));
        assertThat(received(sub)).containsExactly("OPEN");

        port = start(); // the PUBACK may have been lost with the connection: the client re-sends with DUP=1
        sub = subscriber(port);
        pub = connect(port, "sensor", false);
        pub.send(publishQos1(5, true, "OPEN"));
        assertThat(answer(pub)).isEqualTo(Wire.describe(Wire.pubAck(5)));
        // QoS 1 is at least once: the broker keeps no receipt of id 5 that could swallow the re-send.
        assertThat(received(sub)).containsExactly("OPEN");
    }

    private static byte[] publishQos1(int packetId, boolean dup, String payload) {
        return packet(dup ? 0x3a : 0x32, concat(utf8("door/cmd"), u16(packetId), payload.getBytes(UTF_8)));
    }
}
