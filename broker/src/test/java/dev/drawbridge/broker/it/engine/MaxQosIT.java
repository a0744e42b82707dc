package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener's {@code max_qos} also bounds what a persistent session gets once its client connects there: a
 * subscription granted QoS 1 on a listener without a limit delivers at QoS 0 after the client comes back on a
 * {@code max_qos 0} listener, as Mosquitto caps each message it queues for a client. Played against the real Mosquitto
 * and Drawbridge, both with two listeners; the answers must be the same bytes.
 */
class MaxQosIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** What the roaming subscriber receives, on the first listener and then on the second ({@code max_qos 0}). */
    private static List<String> roam(int open, int limited) {
        List<String> received = new ArrayList<>();
        try (RawConnection publisher = RawConnection.open(open)) {
            publisher.send(hex("100f" + "00044d515454" + "04" + "02" + "003c" + "0003707562")); // CONNECT "pub"
            received.add("publisher " + toHex(publisher.expect(Frame.CONNACK, ANSWER)));
            try (RawConnection roamer = RawConnection.open(open)) {
                roamer.send(hex("1012" + "00044d515454" + "04" + "00" + "003c" + "0006726f616d6572")); // "roamer", c0
                received.add("open " + toHex(roamer.expect(Frame.CONNACK, ANSWER)));
                roamer.send(hex("8209" + "0001" + "00046d712f74" + "01")); // SUBSCRIBE "mq/t" QoS 1
                received.add("open " + toHex(roamer.expect(Frame.SUBACK, ANSWER)));
                publisher.send(hex("3209" + "00046d712f74" + "0001" + "31")); // PUBLISH QoS 1 "1"
                received.add("publisher " + toHex(publisher.expect(Frame.PUBACK, ANSWER)));
                received.add("open " + toHex(roamer.expect(Frame.PUBLISH, ANSWER)));
                roamer.send(hex("40020001")); // PUBACK 1
                roamer.send(hex("e000")); // DISCONNECT
                roamer.expectClosed(ANSWER);
            }
            try (RawConnection roamer = RawConnection.open(limited)) {
                roamer.send(hex("1012" + "00044d515454" + "04" + "00" + "003c" + "0006726f616d6572"));
                received.add("limited " + toHex(roamer.expect(Frame.CONNACK, ANSWER)));
                publisher.send(hex("3209" + "00046d712f74" + "0002" + "32")); // PUBLISH QoS 1 "2"
                received.add("publisher " + toHex(publisher.expect(Frame.PUBACK, ANSWER)));
                received.add("limited " + toHex(roamer.expect(Frame.PUBLISH, ANSWER)));
            }
        }
        return received;
    }

    @Test
    void aSessionSubscribedAtQos1ElsewhereGetsQos0OnAMaxQos0Listener() throws Exception {
        int mosquittoSecond = freePort();
        List<String> mosquitto;
        try (MosquittoBroker reference = MosquittoBroker.start(
                Files.createDirectories(dir.resolve("mosquitto")),
                List.of("listener " + mosquittoSecond + " 127.0.0.1", "max_qos 0"))) {
            mosquitto = roam(reference.port(), mosquittoSecond);
        }
        List<String> drawbridge;
        try (Drawbridge own =
                DrawbridgeBroker.start(dir.resolve("drawbridge"), List.of("listener 0 127.0.0.1", "max_qos 0"))) {
            drawbridge = roam(own.port(), own.listeners().get(1).port());
        }

        assertThat(drawbridge)
                .containsExactly(
                        "publisher 20020000",
                        "open 20020000",
                        "open 90030001" + "01", // granted QoS 1
                        "publisher 40020001",
                        "open 3209" + "00046d712f74" + "0001" + "31", // delivered at QoS 1
                        "limited 20020100", // session present
                        "publisher 40020002",
                        "limited 3007" + "00046d712f74" + "32") // the same subscription, now at QoS 0
                .containsExactlyElementsOf(mosquitto);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static String toHex(Frame frame) {
        var out = new ByteArrayOutputStream();
        out.write(frame.first());
        out.write(frame.body().length);
        out.writeBytes(frame.body());
        return HexFormat.of().formatHex(out.toByteArray());
    }
}
