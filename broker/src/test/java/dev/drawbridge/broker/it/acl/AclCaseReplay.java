package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.acl.Oracle.Row;
import dev.drawbridge.broker.it.acl.RawMqttClient.Will;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The brokers {@code acl-cases.tsv} was recorded on, one per ACL file ({@code allow_anonymous true},
 * {@code acl-passwd}), and the replay of one row over a chosen protocol level. The row's user is a raw client (it can
 * speak 3.1 and 5, and drop its socket for a will); the privileged publisher is HiveMQ's client logged in as
 * {@code admin}, the privileged observer a raw MQTT 3.1.1 client logged in as {@code admin}.
 *
 * <p>"Not delivered" is decided without waiting: after the probe, the receiving client makes an UNSUBSCRIBE round
 * trip, which the broker answers after every delivery already routed to it (see {@link RawMqttClient#barrier()}). A
 * sentinel message would need a topic the subject may read, and several subjects here may read nothing (erin, Alice,
 * the client ids with '+' or '#').
 *
 * <p>Over MQTT 5 the answers carry what MQTT 3.1.1 cannot say, as Mosquitto 2.0.11 sends them ({@code raw-cases.tsv}):
 * a refused login is CONNACK 0x87 (not authorized), a denied PUBLISH gets PUBACK 0x87 and the connection stays up.
 */
final class AclCaseReplay implements AutoCloseable {

    static final Duration DELIVERY = Duration.ofSeconds(5);

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
    private final LogCapture connections;

    private AclCaseReplay(LogCapture connections) {
        this.connections = connections;
    }

    /** Starts both brokers in {@code dir} and waits until the broker's own retained {@code $SYS} messages are there. */
    static AclCaseReplay start(Path dir) throws Exception {
        return start(dir, (passwd, acl) -> List.of("password_file " + passwd, "acl_file " + acl));
    }

    /** As {@link #start(Path)}, with the config lines that name the password and ACL files given by the caller. */
    static AclCaseReplay start(Path dir, BiFunction<Path, Path, List<String>> securityLines) throws Exception {
        AclCaseReplay replay = new AclCaseReplay(LogCapture.of("dev.drawbridge.broker.connections", Level.INFO));
        Path passwd = TestBrokers.copyOracle(dir, "acl-passwd");
        for (String aclFile : new String[] {"acl1-basic.acl", "acl2-patterns.acl"}) {
            Path folder = Files.createDirectory(dir.resolve(aclFile + ".d"));
            Path acl = TestBrokers.copyOracle(folder, aclFile);
            List<String> lines = new ArrayList<>(List.of("allow_anonymous true"));
            lines.addAll(securityLines.apply(passwd, acl));
            Drawbridge broker = TestBrokers.start(folder, lines.toArray(String[]::new));
            Mqtt3BlockingClient publisher =
                    TestBrokers.connectedHivemq(broker.port(), "oracle-pub", "admin", replay.users.get("admin"));
            RawMqttClient observer = RawMqttClient.connected(
                    broker.port(), 4, "oracle-obs", Optional.of("admin"), Optional.of(replay.users.get("admin")));
            replay.brokers.put(aclFile, new AclBroker(broker, publisher, observer, new HashSet<>()));
        }
        // acl1-012/035/036 read the broker's own retained $SYS/broker/version: wait until a new subscription gets it.
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(50)).until(replay::sysVersionIsRetained);
        return replay;
    }

    private boolean sysVersionIsRetained() {
        RawMqttClient admin = RawMqttClient.connected(
                port("acl1-basic.acl"),
                4,
                "sys-wait-" + probes.incrementAndGet(),
                Optional.of("admin"),
                Optional.of(users.get("admin")));
        admin.subscribe("$SYS/broker/version", 0);
        admin.barrier();
        admin.disconnect();
        return admin.publishes().stream().anyMatch(RawMqttClient.Publish::retain);
    }

    @Override
    public void close() {
        brokers.values().forEach(b -> {
            b.observer().close();
            b.publisher().disconnect();
            b.broker().close();
        });
        connections.close();
    }

    int port(String aclFile) {
        return broker(aclFile).port();
    }

    String password(String user) {
        return users.get(user);
    }

    /** The admin publisher publishes at QoS 1. */
    void publish(String aclFile, String topic, String payload) {
        broker(aclFile).publish(topic, payload, false);
    }

    /**
     * Replays one row with the row's client speaking {@code level} (3, 4 or 5) and asserts Mosquitto's answers: the
     * CONNACK, the SUBACK, whether the message was delivered, and over MQTT 5 the PUBACK's reason code.
     */
    void replay(Row row, int level) {
        AclBroker broker = broker(row.get("aclfile"));
        switch (row.get("action")) {
            case "connect" ->
                assertThat(login(broker, row, level)).as("CONNACK").isEqualTo(connack(row, level));
            case "subscribe", "subscribe-retained" -> subscribe(broker, row, level);
            case "publish" -> publish(broker, row, level);
            case "will" -> will(broker, row, level);
            default -> throw new IllegalArgumentException("unknown action in " + row);
        }
    }

    /**
     * The row's CONNACK code in the client's protocol: Mosquitto 2.0.11 refuses a wrong password, an unknown user or a
     * username without password with 5 (not authorized) in MQTT 3.1.1 and 0x87 in MQTT 5 ({@code raw-cases.tsv}
     * R09-R13).
     */
    private static int connack(Row row, int level) {
        int recorded = Integer.parseInt(row.get("connack"));
        if (level != 5 || recorded == 0) {
            return recorded;
        }
        if (recorded == 5) {
            return 0x87;
        }
        throw new IllegalArgumentException(row + ": no MQTT 5 form recorded for CONNACK " + recorded);
    }

    /** The row's SUBACK code in the client's protocol: a refused filter is 0x80 in MQTT 3.1.1, 0x87 in MQTT 5. */
    private static int suback(Row row, int level) {
        int recorded = Integer.parseInt(row.get("suback_rc"));
        return level == 5 && recorded == 0x80 ? 0x87 : recorded;
    }

    private void subscribe(AclBroker broker, Row row, int level) {
        String pubTopic = row.get("pub_topic");
        boolean retained = row.get("action").equals("subscribe-retained");
        boolean brokersOwn = pubTopic.startsWith("$SYS/"); // published by the broker itself, never cleared
        String payload = probe(row, level);
        if (retained && !brokersOwn) {
            broker.publish(pubTopic, payload, true);
            broker.publisherBarrier();
        }
        RawMqttClient subject = subject(broker, row, level, null);
        try {
            assertThat(subject.subscribe(row.get("topic"), 1)).as("SUBACK").isEqualTo(suback(row, level));
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

    private void publish(AclBroker broker, Row row, int level) {
        String topic = row.get("topic");
        String payload = probe(row, level);
        if (topic.startsWith("$share/")) {
            publishToShare(broker, row, level, topic, payload);
            return;
        }
        broker.observe(topic);
        try (RawMqttClient subject = subject(broker, row, level, null)) {
            // A denied QoS 1 PUBLISH is acknowledged all the same; MQTT 3.1 and 3.1.1 cannot say "denied", MQTT 5
            // says 0x87. An allowed one reaches the observer's subscription: 0x00 (not 0x10, no subscribers).
            int puback = subject.publish(topic, payload, 1, false);
            if (level == 5) {
                assertThat(puback)
                        .as(row + ": PUBACK reason code")
                        .isEqualTo(row.get("verdict").equals("allowed") ? 0x00 : 0x87);
            }
            subject.ping(); // the connection stays up
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
    private void publishToShare(AclBroker broker, Row row, int level, String topic, String payload) {
        try (LogCapture denials = LogCapture.of("dev.drawbridge.broker.connections", Level.DEBUG);
                RawMqttClient subject = subject(broker, row, level, null)) {
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
    private void will(AclBroker broker, Row row, int level) {
        String topic = row.get("topic");
        String payload = probe(row, level);
        broker.observe(topic);
        String closed = "Client " + row.get("clientid") + " closed its connection.";
        long closedBefore = logged(closed);
        subject(broker, row, level, new Will(topic, payload, 1, false)).close();
        awaitLogged(closed, closedBefore);
        if (row.get("delivered").equals("no")) {
            // Now that the broker has seen the socket go, a new login with the same client id is queued behind the
            // old session's end (which publishes the will), and the observer's barrier behind that will.
            leave(subject(broker, row, level, null), row.get("clientid"));
            broker.observer().barrier();
        }
        assertDelivered(row, () -> broker.observer().received(topic, payload));
    }

    /**
     * Sends DISCONNECT and waits until the broker has logged the end of the connection, so that the next row can reuse
     * the client id without racing that end.
     */
    void leave(RawMqttClient client, String clientId) {
        String line = "Client " + clientId + " disconnected.";
        long before = logged(line);
        client.disconnect();
        awaitLogged(line, before);
    }

    long logged(String line) {
        return connections.lines().stream().filter(line::equals).count();
    }

    void awaitLogged(String line, long countBefore) {
        await().alias("log line '" + line + "'")
                .atMost(DELIVERY)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> logged(line) > countBefore);
    }

    private static void assertDelivered(Row row, Callable<Boolean> received) {
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

    private RawMqttClient subject(AclBroker broker, Row row, int level, @Nullable Will will) {
        RawMqttClient client = RawMqttClient.open(broker.port());
        int rc = client.connect(
                level,
                row.get("clientid"),
                Oracle.username(row),
                Oracle.aclPassword(row, users).map(p -> p.getBytes(UTF_8)),
                will);
        if (rc != connack(row, level)) {
            client.close();
            throw new AssertionError(row + ": expected CONNACK " + connack(row, level) + ", found " + rc);
        }
        return client;
    }

    private int login(AclBroker broker, Row row, int level) {
        try (RawMqttClient client = RawMqttClient.open(broker.port())) {
            return client.connect(
                    level,
                    row.get("clientid"),
                    Oracle.username(row),
                    Oracle.aclPassword(row, users).map(p -> p.getBytes(UTF_8)),
                    null);
        }
    }

    private String probe(Row row, int level) {
        return row + "@" + level + "#" + probes.incrementAndGet();
    }

    private AclBroker broker(String aclFile) {
        AclBroker broker = brokers.get(aclFile);
        if (broker == null) {
            throw new IllegalArgumentException("no broker for ACL file " + aclFile);
        }
        return broker;
    }
}
