package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.Wire.concat;
import static dev.drawbridge.broker.it.hostile.Wire.packet;
import static dev.drawbridge.broker.it.hostile.Wire.u16;
import static dev.drawbridge.broker.it.hostile.Wire.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * "A QoS 2 packet id is remembered until its PUBREL, also across a crash" (MQTT 3.1.1 section 4.3.3, method B): the
 * broker runs as {@code java -jar drawbridge.jar} with {@code persistence true} and dies of {@code kill -9} between its
 * PUBREC and the publisher's PUBREL. After the restart the publisher re-sends the PUBLISH with DUP=1, as a client must
 * when it cannot know whether the PUBREC arrived: the broker answers PUBREC again and the persistent subscriber gets
 * the message exactly once over both lives of the broker.
 */
class Qos2PacketIdAcrossKill9IT {

    private static final Duration ANSWER = Duration.ofSeconds(10);

    /** Exit status of a JVM that died of SIGKILL: 128 + 9. */
    private static final int KILLED = 137;

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

    /** MQTT 3.1.1 CONNECT with clean session 0, answered by CONNACK 0 with the expected session-present flag. */
    private RawSocket persistent(int port, String clientId, boolean sessionPresent) {
        RawSocket socket = RawSocket.open(port);
        sockets.add(socket);
        socket.send(packet(0x10, concat(utf8("MQTT"), new byte[] {4, 0x00}, u16(60), utf8(clientId))));
        assertThat(Wire.describe(socket.expectPacket(ANSWER)))
                .as("CONNACK for %s", clientId)
                .isEqualTo(Wire.describe(Wire.bytes(sessionPresent ? "20 02 01 00" : "20 02 00 00")));
        return socket;
    }

    private static byte[] publishQos2(int packetId, boolean dup, String payload) {
        return packet(dup ? 0x3c : 0x34, concat(utf8("door/cmd"), u16(packetId), payload.getBytes(UTF_8)));
    }

    private static void expect(RawSocket socket, int type, int packetId) {
        assertThat(Wire.describe(socket.expectPacket(ANSWER))).isEqualTo(Wire.describe(packet(type, u16(packetId))));
    }

    /**
     * Reads the subscriber's PUBLISHes, completing each QoS 2 flow, until one carries {@code last}; returns every
     * payload read, {@code last} included.
     */
    private static List<String> deliveriesUntil(RawSocket sub, String last) {
        List<String> payloads = new ArrayList<>();
        while (!payloads.contains(last)) {
            byte[] p = sub.expectPacket(ANSWER);
            int type = (p[0] & 0xf0) >> 4;
            byte[] body = Wire.body(p);
            if (type == 6) { // PUBREL for a delivery we answered with PUBREC: complete it
                sub.send(packet(0x70, Wire.slice(body, 0, 2)));
                continue;
            }
            assertThat(type)
                    .as("packet to the subscriber: %s", Wire.describe(p))
                    .isEqualTo(3);
            assertThat((p[0] >> 1) & 3).as("QoS of %s", Wire.describe(p)).isEqualTo(2);
            int at = 2 + (((body[0] & 0xff) << 8) | (body[1] & 0xff));
            sub.send(packet(0x50, Wire.slice(body, at, at + 2)));
            payloads.add(new String(Wire.slice(body, at + 2, body.length), UTF_8));
        }
        return payloads;
    }

    @Test
    void aResentQos2PublishAfterKill9IsAnsweredWithPubrecAndDeliveredOnce() throws Exception {
        int port = Ports.free();
        Path store = Files.createDirectories(dir.resolve("store"));
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + store
                        + "\n",
                UTF_8);
        broker = BrokerJar.start(dir, "-c", conf.toString());

        // The subscriber's persistent session holds door/# at QoS 2 while it is away.
        RawSocket sub = persistent(port, "watcher", false);
        sub.send(Wire.subscribe(1, "door/#", 2));
        assertThat(Wire.describe(sub.expectPacket(ANSWER))).startsWith("SUBACK");
        sub.send(Wire.DISCONNECT);

        RawSocket pub = persistent(port, "sensor", false);
        pub.send(publishQos2(3, false, "OPEN"));
        expect(pub, 0x50, 3); // PUBREC: durable mode sends it once the message and the receipt are on disk

        ClientProcess killed = broker;
        assertThat(killed).isNotNull();
        BrokerJar.signal(killed, "KILL");
        assertThat(killed.waitFor(ANSWER)).as("exit status after kill -9").isEqualTo(KILLED);
        broker = BrokerJar.start(dir, "-c", conf.toString());

        sub = persistent(port, "watcher", true);
        assertThat(deliveriesUntil(sub, "OPEN"))
                .as("queued for the subscriber before the crash")
                .containsExactly("OPEN");

        pub = persistent(port, "sensor", true);
        pub.send(publishQos2(3, true, "OPEN")); // the re-send: DUP=1, same packet id
        expect(pub, 0x50, 3);
        pub.send(packet(0x62, u16(3))); // PUBREL
        expect(pub, 0x70, 3); // PUBCOMP
        // The same publisher's next message; had the re-send been delivered, it would come first.
        pub.send(publishQos2(4, false, "CLOSE"));
        expect(pub, 0x50, 4);
        pub.send(packet(0x62, u16(4)));
        expect(pub, 0x70, 4);

        assertThat(deliveriesUntil(sub, "CLOSE")).as("after the re-send").containsExactly("CLOSE");
    }
}
