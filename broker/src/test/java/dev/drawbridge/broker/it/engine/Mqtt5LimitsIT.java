package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT 5's answers where the listener's limits speak: the CONNACK reason codes of refused CONNECTs, the server keep
 * alive and maximum packet size an accepted CONNACK announces, and PUBACK 0x95 for a message over
 * {@code message_size_limit}, and what a listener's {@code max_qos} and {@code max_topic_alias} change. Byte for byte
 * what Mosquitto 2.0 sends for the same configuration; the listener options' answers are compared with the real
 * Mosquitto's in the same test.
 */
class Mqtt5LimitsIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest(
            "max_keepalive 30", "max_packet_size 1000", "message_size_limit 10", "allow_zero_length_clientid false");

    private static byte[] connect(String id, int keepAlive, byte[] properties, String willTopic, String willPayload) {
        var body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(5);
        body.write(0x02 | (willTopic != null ? 0x04 : 0));
        body.write(keepAlive >> 8);
        body.write(keepAlive);
        body.write(properties.length);
        body.writeBytes(properties);
        string(body, id);
        if (willTopic != null) {
            body.write(0);
            string(body, willTopic);
            string(body, willPayload);
        }
        var out = new ByteArrayOutputStream();
        out.write(0x10);
        out.write(body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static String hexText(String text) {
        return HexFormat.of().formatHex(text.getBytes(UTF_8));
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static String hex(Frame frame) {
        var out = new ByteArrayOutputStream();
        out.write(frame.first());
        out.write(frame.body().length);
        out.writeBytes(frame.body());
        return HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void anAcceptedConnAckAnnouncesTheServerKeepAliveAndTheMaximumPacketSize() {
        RawConnection client = broker.open();
        // Request problem information 0 and response information 1: accepted, and nothing is sent for them.
        client.send(connect("limits", 60, new byte[] {0x17, 0, 0x19, 1}, null, null));

        Frame connAck = client.expect(Frame.CONNACK, ANSWER);

        // topic alias maximum 10, server keep alive 30, maximum packet size 1000, receive maximum 20
        assertThat(hex(connAck)).isEqualTo("2011" + "0000" + "0e" + "22000a" + "13001e" + "27000003e8" + "210014");
    }

    @Test
    void anEmptyClientIdWhereNoneIsAllowedGetsUnspecifiedError() {
        RawConnection client = broker.open();
        client.send(connect("", 60, new byte[0], null, null));

        List<Frame> before = client.expectClosed(ANSWER);

        // CONNACK 0x80 with its reason string; Mosquitto 2.0.11 sends "2003008000", no reason string.
        assertThat(before)
                .extracting(Mqtt5LimitsIT::hex)
                .containsExactly("2017" + "0080" + "14" + "1f0011" + hexText("unspecified error"));
    }

    @Test
    void aWillOverTheMessageSizeLimitGetsPacketTooLarge() {
        RawConnection client = broker.open();
        client.send(connect("big-will", 20, new byte[0], "w", "more than ten bytes"));

        List<Frame> before = client.expectClosed(ANSWER);

        // CONNACK 0x95 with its reason string; Mosquitto 2.0.11 sends "2003009500", no reason string.
        assertThat(before)
                .extracting(Mqtt5LimitsIT::hex)
                .containsExactly("2016" + "0095" + "13" + "1f0010" + hexText("packet too large"));
    }

    @Test
    void aPublishOverTheMessageSizeLimitGetsPubAck0x95AndASmallOneIsDelivered() {
        RawConnection client = broker.open();
        client.send(connect("big-publish", 20, new byte[0], null, null));
        client.expect(Frame.CONNACK, ANSWER);
        client.send(HexFormat.of().parseHex("820900010000037a2f7a01")); // SUBSCRIBE z/z QoS 1, no properties
        client.expect(Frame.SUBACK, ANSWER);

        client.send(
                HexFormat.of().parseHex("3213" + "00037a2f7a" + "0007" + "00" + "3132333435363738393031")); // 11 bytes
        client.send(HexFormat.of().parseHex("320a" + "00037a2f7a" + "0008" + "00" + "6f6b")); // "ok"

        assertThat(hex(client.expect(Frame.PUBACK, ANSWER))).isEqualTo("4003000795");
        // The small one's PUBACK and its delivery to this same client, in either order.
        List<Frame> next = List.of(client.expectFrame(ANSWER), client.expectFrame(ANSWER));
        assertThat(next).extracting(Mqtt5LimitsIT::hex).contains("40020008");
        Frame delivered =
                next.stream().filter(f -> f.type() == Frame.PUBLISH).findFirst().orElseThrow();
        assertThat(new String(delivered.body(), delivered.body().length - 2, 2, UTF_8))
                .isEqualTo("ok");
    }

    /** A listener with {@code max_qos 0} and {@code max_topic_alias 3}, as Mosquitto 2.0.11 and Drawbridge answer. */
    private static final List<String> LISTENER_LIMITS = List.of("max_qos 0", "max_topic_alias 3", "max_keepalive 30");

    @TempDir
    Path dir;

    /**
     * What one client sees on a {@link #LISTENER_LIMITS} broker: the accepted CONNACK, then the answer to a QoS 1
     * PUBLISH (above max_qos), then the close; and on a second connection the refusal of a QoS 1 will.
     */
    private static List<String> listenerLimitAnswers(int port) {
        List<String> answers = new ArrayList<>();
        try (RawConnection client = RawConnection.open(port)) {
            client.send(connect("max-qos-0", 60, new byte[0], null, null));
            answers.add(hex(client.expect(Frame.CONNACK, ANSWER)));
            client.send(HexFormat.of().parseHex("320a" + "00036d2f71" + "0001" + "00" + "7878")); // QoS 1 "m/q"
            client.expectClosed(ANSWER).forEach(f -> answers.add(hex(f)));
        }
        try (RawConnection client = RawConnection.open(port)) {
            byte[] willQos1 = connect("will-q1", 20, new byte[0], "w", "x");
            willQos1[9] |= 0x08; // connect flags: will QoS 1
            client.send(willQos1);
            client.expectClosed(ANSWER).forEach(f -> answers.add(hex(f)));
        }
        return answers;
    }

    @Test
    void maxQosAndMaxTopicAliasAnswerAsTheRealMosquittoByteForByte() throws Exception {
        List<String> mosquitto;
        try (MosquittoBroker reference =
                MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")), LISTENER_LIMITS)) {
            mosquitto = listenerLimitAnswers(reference.port());
        }
        List<String> drawbridge;
        try (Drawbridge own = DrawbridgeBroker.start(dir.resolve("drawbridge"), LISTENER_LIMITS)) {
            drawbridge = listenerLimitAnswers(own.port());
        }

        List<String> answers = List.of(
                // topic alias maximum 3, server keep alive 30, receive maximum 20, maximum QoS 0
                "200e" + "0000" + "0b" + "220003" + "13001e" + "210014" + "2400",
                "e0019b", // DISCONNECT 0x9B: QoS not supported
                "2005009b022400"); // CONNACK 0x9B, maximum QoS 0
        assertThat(mosquitto).containsExactlyElementsOf(answers);
        // The same, but Drawbridge's refusal also says why (README, "Differences from Mosquitto").
        assertThat(drawbridge)
                .containsExactly(
                        answers.get(0),
                        answers.get(1),
                        "2019" + "009b" + "16" + "2400" + "1f0011" + hexText("QoS not supported"));
    }
}
