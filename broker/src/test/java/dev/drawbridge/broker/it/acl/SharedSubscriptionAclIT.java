package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared subscriptions ({@code $share/GROUP/FILTER}) with real MQTT 5 clients (HiveMQ), users from a password file and
 * rights from an ACL file, played against Drawbridge and against the real Mosquitto 2.0.11, which must agree. A group
 * hands each message to one member in turn. READ is checked against the real topic when the member whose turn it is
 * gets the message: a member without it gets nothing, and the message of its turn is gone for the whole group (as
 * Mosquitto 2.0.11's {@code subs__shared_process} drops it); the turn passes on either way.
 */
class SharedSubscriptionAclIT {

    private static final int MESSAGES = 20;
    private static final String PASSWORD = "shared-secret";
    private static final String ACL = """
            user reader
            topic read shared/t
            topic read shared/end

            user blind
            topic read shared/end

            user writer
            topic write shared/#
            """;

    /** The broker the same test runs against. */
    enum Broker {
        DRAWBRIDGE,
        MOSQUITTO_2_0_11
    }

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<Mqtt5Publishes> streams = new ArrayList<>();
    private int port;

    @AfterEach
    void stop() throws Exception {
        try {
            streams.forEach(Mqtt5Publishes::close);
            for (Mqtt5BlockingClient client : clients) {
                if (client.getState().isConnected()) {
                    client.disconnect();
                }
            }
        } finally {
            for (AutoCloseable broker : closeLast) {
                broker.close();
            }
        }
    }

    private void start(Broker kind) {
        Path passwd = TestBrokers.passwordFile(
                dir.resolve("passwd"), Map.of("reader", PASSWORD, "blind", PASSWORD, "writer", PASSWORD));
        Path acl = TestBrokers.write(dir.resolve("acl"), ACL.getBytes(UTF_8));
        List<String> lines = List.of("password_file " + passwd, "acl_file " + acl);
        if (kind == Broker.DRAWBRIDGE) {
            Drawbridge broker = DrawbridgeBroker.start(dir.resolve("drawbridge"), lines);
            closeLast.add(broker);
            port = broker.listeners().get(0).port();
        } else {
            // Started as root, Mosquitto would switch to its own user and not read the test's files.
            List<String> asRoot = new ArrayList<>(lines);
            asRoot.add("user root");
            MosquittoBroker broker = MosquittoBroker.start(dir, asRoot);
            closeLast.add(broker);
            port = broker.port();
        }
    }

    private Mqtt5BlockingClient connected(String clientId, String user) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .simpleAuth()
                .username(user)
                .password(PASSWORD.getBytes(UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        clients.add(client);
        client.connect();
        return client;
    }

    /**
     * A member of group {@code g} on {@code shared/t}, also subscribed (not shared) to {@code shared/end}, the marker
     * after which nothing more of {@code shared/t} can come; the SUBACKs' reason codes are checked.
     */
    private Mqtt5Publishes member(String clientId, String user) {
        Mqtt5BlockingClient client = connected(clientId, user);
        Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        streams.add(publishes);
        Mqtt5SubAck subAck = client.subscribeWith()
                .addSubscription()
                .topicFilter("$share/g/shared/t")
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .addSubscription()
                .topicFilter("shared/end")
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .send();
        // Mosquitto 2.0.11's ACL file does not check SUBSCRIBE: READ decides at delivery.
        assertThat(subAck.getReasonCodes())
                .as("SUBACK for %s", clientId)
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        return publishes;
    }

    /** Publishes 1..MESSAGES on {@code shared/t} at QoS 1, then {@code end} on {@code shared/end}. */
    private void publishAll() {
        Mqtt5BlockingClient writer = connected("shared-writer", "writer");
        for (int i = 1; i <= MESSAGES; i++) {
            writer.publishWith()
                    .topic("shared/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Integer.toString(i).getBytes(UTF_8))
                    .send();
        }
        writer.publishWith()
                .topic("shared/end")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("end".getBytes(UTF_8))
                .send();
    }

    /** The payloads of {@code shared/t} a member got before the end marker, which it must get. */
    private static List<Integer> receivedBeforeEnd(Mqtt5Publishes publishes) throws InterruptedException {
        List<Integer> got = new ArrayList<>();
        while (true) {
            Optional<Mqtt5Publish> next = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(next).as("the end marker within 10 s, after %s", got).isPresent();
            String payload = new String(next.get().getPayloadAsBytes(), UTF_8);
            if (next.get().getTopic().toString().equals("shared/end")) {
                assertThat(payload).isEqualTo("end");
                return got;
            }
            got.add(Integer.parseInt(payload));
        }
    }

    private static List<Integer> numbers(int first) {
        return IntStream.iterate(first, i -> i <= MESSAGES, i -> i + 2).boxed().toList();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Broker.class)
    void twoMembersGetEveryMessageExactlyOnceBetweenThemTakingTurns(Broker kind) throws Exception {
        start(kind);
        Mqtt5Publishes first = member("shared-first", "reader");
        Mqtt5Publishes second = member("shared-second", "reader");

        publishAll();

        List<Integer> toFirst = receivedBeforeEnd(first);
        List<Integer> toSecond = receivedBeforeEnd(second);
        List<Integer> all = new ArrayList<>(toFirst);
        all.addAll(toSecond);
        assertThat(all)
                .as("first %s, second %s", toFirst, toSecond)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, MESSAGES).boxed().toList());
        // Strict turns: one member has the odd messages, the other the even ones, each in the order published.
        assertThat(List.of(toFirst, toSecond)).containsExactlyInAnyOrder(numbers(1), numbers(2));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Broker.class)
    void aMemberWithoutReadOnTheTopicGetsNothingAndItsTurnsAreLostToTheGroup(Broker kind) throws Exception {
        start(kind);
        Mqtt5Publishes blind = member("shared-blind", "blind"); // subscribed first: its turn is the first message
        Mqtt5Publishes reader = member("shared-reader", "reader");

        publishAll();

        assertThat(receivedBeforeEnd(blind))
                .as("messages on shared/t to a member that may not read it")
                .isEmpty();
        assertThat(receivedBeforeEnd(reader))
                .as("the permitted member: its own turns, not the blind member's")
                .containsExactlyElementsOf(numbers(2));
    }
}
