package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic aliases the broker sets toward MQTT 5 clients that allow them, as Mosquitto 2.1 sets them (no Mosquitto 2.1
 * binary is at hand, so this follows its source: first come, first served, up to the client's topic alias maximum
 * lowered to {@code max_topic_alias_broker}, afresh on every connection). Raw packets show the bytes; the HiveMQ client,
 * which resolves aliases itself, shows that a real client gets every topic right.
 */
class TopicAliasesToClientIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void disconnectClients() {
        for (Mqtt5BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }

    /** An MQTT 5 CONNECT for {@code id}, with these properties (hex). */
    private static byte[] connect5(String id, boolean cleanStart, String properties) {
        var body = new ByteArrayOutputStream();
        body.writeBytes(hex("0004" + "4d515454" + "05")); // protocol name "MQTT", level 5
        body.write(cleanStart ? 0x02 : 0x00); // connect flags
        body.writeBytes(hex("003c")); // keepalive 60 s
        byte[] props = hex(properties);
        body.write(props.length);
        body.writeBytes(props);
        string(body, id);
        return packet(0x10, body.toByteArray());
    }

    /** An MQTT 3.1.1 client that publishes {@link #publish} messages. */
    private RawConnection publisher() {
        RawConnection publisher = broker.open();
        publisher.send(hex("100f" + "00044d515454" + "04" + "02" + "003c" + "0003707562")); // CONNECT "pub", 3.1.1
        assertThat(toHex(publisher.expect(Frame.CONNACK, ANSWER))).isEqualTo("20020000");
        return publisher;
    }

    /** A QoS 0 PUBLISH of MQTT 3.1.1. */
    private static byte[] publish(String topic, String payload) {
        var body = new ByteArrayOutputStream();
        string(body, topic);
        body.writeBytes(payload.getBytes(UTF_8));
        return packet(0x30, body.toByteArray());
    }

    /** A subscriber to {@code al/#} at QoS 0 with these CONNECT properties. */
    private RawConnection subscriber(String id, boolean cleanStart, String connectProperties) {
        return subscriber(0, id, cleanStart, connectProperties);
    }

    /** A subscriber to {@code al/#} on this listener (0: the first). */
    private RawConnection subscriber(int listener, String id, boolean cleanStart, String connectProperties) {
        RawConnection subscriber = broker.openOn(listener);
        subscriber.send(connect5(id, cleanStart, connectProperties));
        subscriber.expect(Frame.CONNACK, ANSWER);
        subscriber.send(hex("820a" + "0001" + "00" + "0004616c2f23" + "00")); // SUBSCRIBE "al/#" QoS 0
        subscriber.expect(Frame.SUBACK, ANSWER);
        return subscriber;
    }

    private static List<String> receive(RawConnection connection, int count) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(toHex(connection.expect(Frame.PUBLISH, ANSWER)));
        }
        return frames;
    }

    @Test
    void theFirstTopicsGetAliasesUpToTheClientsMaximumAndLaterOnesGoInFull() {
        broker.start();
        RawConnection subscriber = subscriber("alias-sub", true, "220002"); // topic alias maximum 2
        RawConnection publisher = publisher();

        for (String[] m :
                new String[][] {{"al/a", "1"}, {"al/a", "2"}, {"al/b", "3"}, {"al/c", "4"}, {"al/b", "5"}, {"al/c", "6"}
                }) {
            publisher.send(publish(m[0], m[1]));
        }

        assertThat(receive(subscriber, 6))
                .containsExactly(
                        "300b" + "0004616c2f61" + "03" + "230001" + "31", // "al/a" and its new alias 1
                        "3007" + "0000" + "03" + "230001" + "32", // empty topic, alias 1
                        "300b" + "0004616c2f62" + "03" + "230002" + "33", // "al/b" and its new alias 2
                        "3008" + "0004616c2f63" + "00" + "34", // "al/c" in full: both aliases are taken
                        "3007" + "0000" + "03" + "230002" + "35", // empty topic, alias 2
                        "3008" + "0004616c2f63" + "00" + "36"); // "al/c" in full again
    }

    @Test
    void aClientBehindAMountPointLearnsItsAliasesForTopicsWithoutThePrefix() {
        broker.start("listener 0 127.0.0.1", "mount_point house/");
        RawConnection mounted = subscriber(1, "alias-mounted", true, "220002"); // "al/#" is "house/al/#" here
        RawConnection publisher = publisher();

        publisher.send(publish("house/al/a", "1"));
        publisher.send(publish("house/al/a", "2"));
        publisher.send(publish("house/al/b", "3"));
        publisher.send(publish("house/al/b", "4"));

        assertThat(receive(mounted, 4))
                .containsExactly(
                        "300b" + "0004616c2f61" + "03" + "230001" + "31", // "al/a", prefix off, and its alias 1
                        "3007" + "0000" + "03" + "230001" + "32", // the alias, not dropped as outside the mount
                        "300b" + "0004616c2f62" + "03" + "230002" + "33",
                        "3007" + "0000" + "03" + "230002" + "34");
    }

    @Test
    void aResumedSessionsNewConnectionStartsWithoutAliases() {
        broker.start();
        // Session expiry 60 s, topic alias maximum 2.
        RawConnection first = subscriber("alias-resume", true, "110000003c" + "220002");
        RawConnection publisher = publisher();
        publisher.send(publish("al/a", "1"));
        publisher.send(publish("al/a", "2"));
        assertThat(receive(first, 2))
                .containsExactly(
                        "300b" + "0004616c2f61" + "03" + "230001" + "31", "3007" + "0000" + "03" + "230001" + "32");
        first.close();

        RawConnection again = broker.open();
        again.send(connect5("alias-resume", false, "110000003c" + "220002"));
        assertThat(again.expect(Frame.CONNACK, ANSWER).sessionPresent()).isTrue();
        publisher.send(publish("al/a", "3"));

        // The new connection knows no alias: the topic comes again with alias 1.
        assertThat(receive(again, 1)).containsExactly("300b" + "0004616c2f61" + "03" + "230001" + "33");
    }

    @Test
    void aClientThatAllowsNoAliasesGetsEveryTopicInFull() {
        broker.start();
        RawConnection none = subscriber("alias-none", true, ""); // no topic alias maximum: 0
        RawConnection zero = subscriber("alias-zero", true, "220000"); // topic alias maximum 0
        RawConnection publisher = publisher();

        publisher.send(publish("al/a", "1"));
        publisher.send(publish("al/a", "2"));

        for (RawConnection subscriber : List.of(none, zero)) {
            assertThat(receive(subscriber, 2))
                    .containsExactly("3008" + "0004616c2f61" + "00" + "31", "3008" + "0004616c2f61" + "00" + "32");
        }
    }

    @Test
    void maxTopicAliasBrokerLowersTheClientsMaximumAnd0TurnsAliasesOff() {
        broker.start("max_topic_alias_broker 1", "listener 0 127.0.0.1", "max_topic_alias_broker 0");
        RawConnection one = subscriber(0, "alias-one", true, "220005"); // allows 5, the listener 1
        RawConnection off = subscriber(1, "alias-off", true, "220005"); // allows 5, the listener none
        RawConnection publisher = publisher();

        publisher.send(publish("al/a", "1"));
        publisher.send(publish("al/b", "2"));
        publisher.send(publish("al/a", "3"));

        assertThat(receive(one, 3))
                .containsExactly(
                        "300b" + "0004616c2f61" + "03" + "230001" + "31",
                        "3008" + "0004616c2f62" + "00" + "32",
                        "3007" + "0000" + "03" + "230001" + "33");
        assertThat(receive(off, 3))
                .containsExactly(
                        "3008" + "0004616c2f61" + "00" + "31",
                        "3008" + "0004616c2f62" + "00" + "32",
                        "3008" + "0004616c2f61" + "00" + "33");
    }

    @Test
    void theHiveMqClientGetsEveryTopicRightWithMoreTopicsThanAliases() throws Exception {
        broker.start();
        Mqtt5BlockingClient subscriber = MqttClient.builder()
                .useMqttVersion5()
                .identifier("alias-hivemq")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        clients.add(subscriber);
        subscriber
                .connectWith()
                .restrictions()
                .topicAliasMaximum(4)
                .applyRestrictions()
                .send();
        Mqtt5BlockingClient publisher = MqttClient.builder()
                .useMqttVersion5()
                .identifier("alias-hivemq-pub")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        clients.add(publisher);
        publisher.connect();
        try (var publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber
                    .subscribeWith()
                    .topicFilter("many/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            // 12 topics, three rounds: the first 4 get aliases, the other 8 always go in full.
            List<String> sent = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int t = 0; t < 12; t++) {
                    String topic = "many/topic-" + t;
                    sent.add(topic + " " + round);
                    publisher
                            .publishWith()
                            .topic(topic)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload((topic + " " + round).getBytes(UTF_8))
                            .send();
                }
            }

            List<String> received = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Optional<Mqtt5Publish> next = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(next).as("message %d of %d", i + 1, sent.size()).isPresent();
                Mqtt5Publish p = next.get();
                received.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), UTF_8).split(" ")[1]);
                // Each payload names the topic it was published to.
                assertThat(new String(p.getPayloadAsBytes(), UTF_8)).startsWith(p.getTopic() + " ");
            }
            assertThat(received).containsExactlyElementsOf(sent);
        }
    }

    private static byte[] packet(int first, byte[] body) {
        var out = new ByteArrayOutputStream();
        out.write(first);
        out.write(body.length); // every packet here is shorter than 128 bytes
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
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
