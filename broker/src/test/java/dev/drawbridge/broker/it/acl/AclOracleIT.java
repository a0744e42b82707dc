package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.acl.Oracle.Row;
import dev.drawbridge.broker.it.acl.RawMqttClient.Will;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code acl-cases.tsv} against the real broker on a socket, over MQTT 3.1.1 and again over MQTT 3.1: one
 * broker per ACL file ({@code allow_anonymous true}, {@code acl-passwd}), as the oracle ran. The row's user is a raw
 * client (it can speak 3.1, and drop its socket for a will); the privileged publisher is HiveMQ's client logged in as
 * {@code admin}, the privileged observer a raw client logged in as {@code admin}.
 *
 * <p>"Not delivered" is decided without waiting: after the probe, the receiving client makes an UNSUBSCRIBE round
 * trip, which the broker answers after every delivery already routed to it (see {@link RawMqttClient#barrier()}). A
 * sentinel message would need a topic the subject may read, and several subjects here may read nothing (erin, Alice,
 * the client ids with '+' or '#').
 *
 * <p>Deliberate difference: the rows recorded over MQTT 5 (acl1-071 to acl1-075, acl2-025) are checked over 3.1.1
 * and 3.1, because Drawbridge refuses MQTT 5 at CONNECT ({@link #mqtt5IsRefusedAtConnect()}); their verdicts do not
 * depend on the protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclOracleIT {

    private static final Duration DELIVERY = Duration.ofSeconds(5);

    /** The protocol the row's own client speaks. */
    enum Protocol {
        MQTT_3_1_1(4),
        MQTT_3_1(3);

        final int level;

        Protocol(int level) {
            this.level = level;
        }

        @Override
        public String toString() {
            return level == 4 ? "3.1.1" : "3.1";
        }
    }

    /** One broker for one ACL file, with its admin publisher and observer. */
    private record AclBroker(
            Drawbridge broker, Mqtt3BlockingClient publisher, RawMqttClient observer, Set<String> observed) {
        int port() {
            return broker.port();
        }

        /** The observer subscribes to the topic once (a {@code $share/} name is not a filter it can use). */
        void observe(String topic) {
            if (!topic.startsWith("$share/") && observed.add(topic)) {
                assertThat(observer.subscribe(topic, 1)).isEqualTo(1);
            }
        }

        void publish(String topic, String payload, boolean retain) {
            publisher
                    .publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(retain)
                    .payload(payload.getBytes(UTF_8))
                    .send();
        }

        /** The publisher's own UNSUBSCRIBE round trip: its earlier PUBLISH is fully handled (retained stored). */
        void publisherBarrier() {
            publisher.unsubscribeWith().topicFilter("barrier/never-subscribed").send();
        }
    }

    private final Map<String, String> users = Oracle.aclUsers();
    private final Map<String, AclBroker> brokers = new LinkedHashMap<>();
    private final AtomicInteger probes = new AtomicInteger();
    private LogCapture connections;

    @BeforeAll
    void startBrokers(@TempDir Path dir) throws Exception {
        connections = LogCapture.of("dev.drawbridge.broker.connections", Level.INFO);
        Path passwd = TestBrokers.copyOracle(dir, "acl-passwd");
        for (String aclFile : new String[] {"acl1-basic.acl", "acl2-patterns.acl"}) {
            Path folder = Files.createDirectory(dir.resolve(aclFile + ".d"));
            Path acl = TestBrokers.copyOracle(folder, aclFile);
            Drawbridge broker =
                    TestBrokers.start(folder, "allow_anonymous true", "password_file " + passwd, "acl_file " + acl);
            Mqtt3BlockingClient publisher =
                    TestBrokers.connectedHivemq(broker.port(), "oracle-pub", "admin", users.get("admin"));
            RawMqttClient observer = RawMqttClient.connected(
                    broker.port(), 4, "oracle-obs", Optional.of("admin"), Optional.of(users.get("admin")));
            brokers.put(aclFile, new AclBroker(broker, publisher, observer, new HashSet<>()));
        }
        // acl1-012/035/036 read the broker's own retained $SYS/broker/version: wait until a new subscription gets it.
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(50)).until(this::sysVersionIsRetained);
    }

    private boolean sysVersionIsRetained() {
        RawMqttClient admin = RawMqttClient.connected(
                brokers.get("acl1-basic.acl").port(),
                4,
                "sys-wait-" + probes.incrementAndGet(),
                Optional.of("admin"),
                Optional.of(users.get("admin")));
        admin.subscribe("$SYS/broker/version", 0);
        admin.barrier();
        admin.disconnect();
        return admin.publishes().stream().anyMatch(RawMqttClient.Publish::retain);
    }

    @AfterAll
    void stopBrokers() {
        brokers.values().forEach(b -> {
            b.observer().close();
            b.publisher().disconnect();
            b.broker().close();
        });
        connections.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(Protocol.values())
                .flatMap(p -> Oracle.rows("acl-cases.tsv").stream().map(row -> Arguments.of(row, p)));
    }

    @ParameterizedTest(name = "{0} over MQTT {1}")
    @MethodSource("cases")
    void rowGetsMosquittosAnswer(Row row, Protocol protocol) {
        AclBroker broker = brokers.get(row.get("aclfile"));
        switch (row.get("action")) {
            case "connect" ->
                assertThat(login(broker, row, protocol)).as("CONNACK").isEqualTo(Integer.parseInt(row.get("connack")));
            case "subscribe", "subscribe-retained" -> subscribe(broker, row, protocol);
            case "publish" -> publish(broker, row, protocol);
            case "will" -> will(broker, row, protocol);
            default -> throw new IllegalArgumentException("unknown action in " + row);
        }
    }

    /** Drawbridge speaks MQTT 3.1 and 3.1.1 only: an MQTT 5 CONNECT gets "unsupported protocol version". */
    @Test
    void mqtt5IsRefusedAtConnect() {
        var client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("alice-v5")
                .serverHost("127.0.0.1")
                .serverPort(brokers.get("acl1-basic.acl").port())
                .buildBlocking();

        assertThatThrownBy(() -> client.connectWith()
                        .simpleAuth()
                        .username("alice")
                        .password("alicepw".getBytes(UTF_8))
                        .applySimpleAuth()
                        .send())
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION));
    }

    /**
     * A client that logs in again with its client id while the broker is still ending its old connection (a session
     * takeover) keeps the read rights of its new connection.
     */
    @Test
    void aTakeoverKeepsTheNewConnectionsReadRights() {
        AclBroker broker = brokers.get("acl1-basic.acl");
        for (int round = 0; round < 20; round++) {
            String gone = "Client takeover closed its connection.";
            long goneBefore = logged(gone);
            try (RawMqttClient old = RawMqttClient.connected(
                            broker.port(), 4, "takeover", Optional.of("alice"), Optional.of(users.get("alice")));
                    RawMqttClient fresh = RawMqttClient.connected(
                            broker.port(), 4, "takeover", Optional.of("alice"), Optional.of(users.get("alice")))) {
                fresh.subscribe("home/alice/#", 1);
                assertThat(old.awaitClosed(DELIVERY))
                        .as("old connection closed by the takeover")
                        .isTrue();
                awaitLogged(gone, goneBefore);
                String payload = "round " + round;
                broker.publish("home/alice/takeover", payload, false);
                fresh.barrier();
                assertThat(fresh.received("home/alice/takeover", payload))
                        .as("round %d: the new connection receives what alice may read", round)
                        .isTrue();
                fresh.disconnect();
            }
        }
    }

    private void subscribe(AclBroker broker, Row row, Protocol protocol) {
        String pubTopic = row.get("pub_topic");
        boolean retained = row.get("action").equals("subscribe-retained");
        boolean brokersOwn = pubTopic.startsWith("$SYS/"); // published by the broker itself, never cleared
        String payload = probe(row, protocol);
        if (retained && !brokersOwn) {
            broker.publish(pubTopic, payload, true);
            broker.publisherBarrier();
        }
        RawMqttClient subject = subject(broker, row, protocol, null);
        try {
            assertThat(subject.subscribe(row.get("topic"), 1))
                    .as("SUBACK")
                    .isEqualTo(Integer.parseInt(row.get("suback_rc")));
            if (!retained) {
                broker.publish(pubTopic, payload, false);
            }
            subject.barrier();
            assertDelivered(
                    row,
                    () -> brokersOwn
                            ? subject.publishes().stream()
                                    .anyMatch(p -> p.topic().equals(pubTopic))
                            : subject.received(pubTopic, payload));
            leave(subject, row.get("clientid"));
        } finally {
            subject.close();
            if (retained && !brokersOwn) {
                broker.publish(pubTopic, "", true);
            }
        }
    }

    private void publish(AclBroker broker, Row row, Protocol protocol) {
        String topic = row.get("topic");
        String payload = probe(row, protocol);
        if (topic.startsWith("$share/")) {
            publishToShare(broker, row, protocol, topic, payload);
            return;
        }
        broker.observe(topic);
        try (RawMqttClient subject = subject(broker, row, protocol, null)) {
            // A denied QoS 1 PUBLISH is acknowledged all the same (MQTT 3.1 and 3.1.1 cannot say "denied").
            subject.publish(topic, payload, 1, false);
            broker.observer().barrier();
            assertDelivered(row, () -> broker.observer().received(topic, payload));
            leave(subject, row.get("clientid"));
        }
    }

    /**
     * No subscription can receive a PUBLISH on a {@code $share/} topic name ({@code $share/g/home/x} as a filter is a
     * shared subscription to {@code home/x}), so delivery cannot tell an allowed PUBLISH from a denied one. The broker's
     * DEBUG line for a denied PUBLISH can: it is logged before the PUBACK leaves, so it is there once the PUBACK is in.
     */
    private void publishToShare(AclBroker broker, Row row, Protocol protocol, String topic, String payload) {
        try (LogCapture denials = LogCapture.of("dev.drawbridge.broker.connections", Level.DEBUG);
                RawMqttClient subject = subject(broker, row, protocol, null)) {
            subject.publish(topic, payload, 1, false);
            boolean denied = denials.messages().stream()
                    .anyMatch(m -> m.startsWith("Denied PUBLISH from ") && m.contains(" to '" + topic + "' "));
            assertThat(denied)
                    .as(row + ": denied, in %s", denials.messages())
                    .isEqualTo(row.get("delivered").equals("no"));
            leave(subject, row.get("clientid"));
        }
    }

    /** The subject connects with a will and drops its socket; the observer gets the will or not. */
    private void will(AclBroker broker, Row row, Protocol protocol) {
        String topic = row.get("topic");
        String payload = probe(row, protocol);
        broker.observe(topic);
        String closed = "Client " + row.get("clientid") + " closed its connection.";
        long closedBefore = logged(closed);
        subject(broker, row, protocol, new Will(topic, payload, 1, false)).close();
        awaitLogged(closed, closedBefore);
        if (row.get("delivered").equals("no")) {
            // Now that the broker has seen the socket go, a new login with the same client id is queued behind the
            // old session's end (which publishes the will), and the observer's barrier behind that will.
            leave(subject(broker, row, protocol, null), row.get("clientid"));
            broker.observer().barrier();
        }
        assertDelivered(row, () -> broker.observer().received(topic, payload));
    }

    /**
     * Sends DISCONNECT and waits until the broker has logged the end of the connection, so that the next row can reuse
     * the client id without racing that end (see {@link #aTakeoverKeepsTheNewConnectionsReadRights()}).
     */
    private void leave(RawMqttClient client, String clientId) {
        String line = "Client " + clientId + " disconnected.";
        long before = logged(line);
        client.disconnect();
        awaitLogged(line, before);
    }

    private long logged(String line) {
        return connections.lines().stream().filter(line::equals).count();
    }

    private void awaitLogged(String line, long countBefore) {
        await().alias("log line '" + line + "'")
                .atMost(DELIVERY)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> logged(line) > countBefore);
    }

    private void assertDelivered(Row row, Callable<Boolean> received) {
        if (row.get("delivered").equals("yes")) {
            await().alias(row + ": delivered")
                    .atMost(DELIVERY)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5))
                    .until(received);
        } else {
            try {
                assertThat(received.call()).as(row + ": delivered").isFalse();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private RawMqttClient subject(AclBroker broker, Row row, Protocol protocol, @Nullable Will will) {
        RawMqttClient client = RawMqttClient.open(broker.port());
        int rc = client.connect(
                protocol.level,
                row.get("clientid"),
                Oracle.username(row),
                Oracle.aclPassword(row, users).map(p -> p.getBytes(UTF_8)),
                will);
        if (rc != Integer.parseInt(row.get("connack"))) {
            client.close();
            throw new AssertionError(row + ": expected CONNACK " + row.get("connack") + ", found " + rc);
        }
        return client;
    }

    private int login(AclBroker broker, Row row, Protocol protocol) {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            return client.connect(
                    protocol.level,
                    row.get("clientid"),
                    Oracle.username(row),
                    Oracle.aclPassword(row, users).map(p -> p.getBytes(UTF_8)),
                    null);
        }
    }

    private String probe(Row row, Protocol protocol) {
        return row + "@" + protocol + "#" + probes.incrementAndGet();
    }
}
