package dev.drawbridge.broker.it.crash;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.crash.RawMqttLink.Packet;
import dev.drawbridge.broker.it.crash.RawMqttLink.Publish;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What MQTT 5 adds to a session survives a clean restart and a {@code kill -9} of the broker jar ({@code persistence
 * true}): a session with an expiry interval of an hour is still there, one of two seconds is gone once they have
 * passed (counted from its disconnection, not from the restart); the subscription keeps no local, retain as published
 * and its identifier; a queued message keeps its properties and the rest of its expiry, and a queued message whose
 * expiry passed while the broker was down is never delivered. Raw MQTT 5 packets, so that every property is seen as
 * the broker sent it.
 */
class SessionV5Kill9IT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int KILLED = 137;
    private static final long SHORT = 2;
    private static final int KEEPER_ID = 7;

    /** QoS 1, no local (0x04), retain as published (0x08). */
    private static final int KEEPER_OPTIONS = 0x01 | 0x04 | 0x08;

    private static final Mqtt5Properties STATE_PROPERTIES = Mqtt5Properties.NONE
            .with(Mqtt5Properties.PAYLOAD_FORMAT, "1")
            .with(Mqtt5Properties.MESSAGE_EXPIRY, "3600")
            .with(Mqtt5Properties.CONTENT_TYPE, "text/plain")
            .with(Mqtt5Properties.RESPONSE_TOPIC, "door/reply")
            .with(Mqtt5Properties.CORRELATION_DATA, "req-1")
            .with(Mqtt5Properties.USER_PROPERTY, "room:garage")
            .with(Mqtt5Properties.USER_PROPERTY, "room:hall");

    @TempDir
    Path dir;

    private @Nullable ClientProcess broker;
    private final List<RawMqttLink> links = new ArrayList<>();

    @AfterEach
    void stop() {
        links.forEach(RawMqttLink::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void expiryOptionsIdentifiersAndQueuedMessagePropertiesSurviveARestartAndKill9() throws Exception {
        int port = Ports.free();
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location "
                        + Files.createDirectories(dir.resolve("store")) + "\n");
        broker = BrokerJar.start(dir, "-c", conf.toString());

        // keeper: an hour; brief: two seconds. Both subscribe, then leave with a normal DISCONNECT.
        subscribeAndLeave(port, "keeper", 3600, KEEPER_OPTIONS, KEEPER_ID);
        subscribeAndLeave(port, "brief", SHORT, 0x01, 9);
        Instant briefGone = Instant.now().plusSeconds(SHORT);

        BlockingQueue<Packet> publisherPackets = new LinkedBlockingQueue<>();
        RawMqttLink publisher = open(port, "publisher", true, 0, publisherPackets);
        publishAcknowledged(publisher, publisherPackets, 1, "door/state", STATE_PROPERTIES, "open", true);
        Mqtt5Properties soonGone = Mqtt5Properties.NONE.with(Mqtt5Properties.MESSAGE_EXPIRY, Long.toString(SHORT));
        publishAcknowledged(publisher, publisherPackets, 2, "door/short", soonGone, "soon gone", false);
        Instant shortGone = Instant.now().plusSeconds(SHORT);
        publisher.close();

        assertThat(BrokerJar.stop(broker)).as("exit status after SIGTERM").isZero();
        broker = BrokerJar.start(dir, "-c", conf.toString());
        BrokerJar.signal(broker, "KILL");
        assertThat(broker.waitFor(WAIT)).as("exit status after kill -9").isEqualTo(KILLED);
        broker = BrokerJar.start(dir, "-c", conf.toString());

        // The behaviour under test is the expiry itself: wait until both intervals have passed by the clock.
        // The broker looks for expired sessions once a second: 2.5 s more leave it two looks on a busy machine.
        Instant deadline = (briefGone.isAfter(shortGone) ? briefGone : shortGone).plusMillis(2500);
        Awaitility.await("both short expiry intervals to pass")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Instant.now().isAfter(deadline));

        BlockingQueue<Packet> briefPackets = new LinkedBlockingQueue<>();
        RawMqttLink brief = open(port, "brief", false, SHORT, briefPackets);
        assertThat(brief.sessionPresent())
                .as("brief's session, 2 s expiry, after they passed")
                .isFalse();

        BlockingQueue<Packet> keeperPackets = new LinkedBlockingQueue<>();
        RawMqttLink keeper = open(port, "keeper", false, 3600, keeperPackets);
        assertThat(keeper.sessionPresent()).as("keeper's session, 1 h expiry").isTrue();
        Publish queued = received(keeper, keeperPackets);
        assertThat(queued.topic()).isEqualTo("door/state");
        assertThat(queued.text()).isEqualTo("open");
        assertThat(queued.retain()).as("RETAIN kept by retain as published").isTrue();
        assertThat(queued.properties()
                        .without(Mqtt5Properties.MESSAGE_EXPIRY)
                        .without(Mqtt5Properties.SUBSCRIPTION_IDENTIFIER))
                .as("properties, in order, of a message queued across kill -9")
                .isEqualTo(STATE_PROPERTIES.without(Mqtt5Properties.MESSAGE_EXPIRY));
        assertThat(queued.properties().all(Mqtt5Properties.SUBSCRIPTION_IDENTIFIER))
                .as("its subscription identifier")
                .containsExactly(Integer.toString(KEEPER_ID));
        assertThat(queued.properties().first(Mqtt5Properties.MESSAGE_EXPIRY))
                .as("the rest of its hour")
                .hasValueSatisfying(left -> assertThat(Long.parseLong(left)).isBetween(3540L, 3600L));

        // No local still holds: keeper's own PUBLISH reaches a watcher but not keeper.
        BlockingQueue<Packet> watcherPackets = new LinkedBlockingQueue<>();
        RawMqttLink watcher = open(port, "watcher", true, 0, watcherPackets);
        watcher.send(RawMqttLink.subscribeV5(1, "door/#", 0x01, 0));
        Packet suback = next(watcherPackets);
        assertThat(watcher.subackCode(suback)).isEqualTo(1);
        Publish retainedToWatcher = received(watcher, watcherPackets);
        assertThat(retainedToWatcher.topic()).as("the retained message").isEqualTo("door/state");
        publishAcknowledged(keeper, keeperPackets, 11, "door/echo", Mqtt5Properties.NONE, "mine", false);
        assertThat(received(watcher, watcherPackets).topic()).isEqualTo("door/echo");

        // Positive control for both absences: a later message does arrive, with the restored identifier.
        BlockingQueue<Packet> laterPackets = new LinkedBlockingQueue<>();
        RawMqttLink later = open(port, "publisher", true, 0, laterPackets);
        publishAcknowledged(later, laterPackets, 3, "door/after", Mqtt5Properties.NONE, "after", false);
        Publish after = received(keeper, keeperPackets);
        assertThat(after.topic())
                .as("next delivery to keeper: not door/short (expired) nor door/echo (no local)")
                .isEqualTo("door/after");
        assertThat(after.retain()).isFalse();
        assertThat(after.properties().all(Mqtt5Properties.SUBSCRIPTION_IDENTIFIER))
                .containsExactly(Integer.toString(KEEPER_ID));
        assertThat(briefPackets)
                .as("brief, a new session without subscriptions")
                .isEmpty();
    }

    private void subscribeAndLeave(int port, String clientId, long expiry, int options, int identifier)
            throws Exception {
        BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        RawMqttLink link = open(port, clientId, true, expiry, packets);
        link.send(RawMqttLink.subscribeV5(1, "door/#", options, identifier));
        assertThat(link.subackCode(next(packets))).as("SUBACK for %s", clientId).isEqualTo(1);
        link.send(RawMqttLink.disconnect());
        Awaitility.await(clientId + " disconnected").atMost(WAIT).until(link::isDropped);
    }

    private RawMqttLink open(int port, String clientId, boolean cleanStart, long expiry, BlockingQueue<Packet> packets)
            throws IOException {
        RawMqttLink link = RawMqttLink.openV5(port, clientId, cleanStart, expiry, RawMqttLink.onPacket(packets::add));
        links.add(link);
        return link;
    }

    private static void publishAcknowledged(
            RawMqttLink link,
            BlockingQueue<Packet> packets,
            int packetId,
            String topic,
            Mqtt5Properties properties,
            String text,
            boolean retain)
            throws InterruptedException {
        link.send(RawMqttLink.publishV5Qos1(packetId, topic, properties, text.getBytes(UTF_8), retain, false));
        Packet ack = next(packets);
        assertThat(ack.type())
                .as("PUBACK for %s, found %s", topic, describe(link, ack))
                .isEqualTo(RawMqttLink.PUBACK);
        assertThat(ack.packetId(0)).isEqualTo(packetId);
        int reason = ack.body().length > 2 ? ack.body()[2] & 0xff : 0;
        assertThat(reason).as("PUBACK reason code for %s", topic).isLessThan(0x80);
    }

    /** The next packet, which must be a QoS 1 PUBLISH; acknowledges it. */
    private static Publish received(RawMqttLink link, BlockingQueue<Packet> packets) throws InterruptedException {
        Packet packet = next(packets);
        assertThat(packet.type())
                .as("a PUBLISH, found %s", describe(link, packet))
                .isEqualTo(RawMqttLink.PUBLISH);
        Publish publish = link.publish(packet);
        assertThat(publish.qos()).isEqualTo(1);
        link.send(RawMqttLink.pubAck(publish.packetId()));
        return publish;
    }

    private static String describe(RawMqttLink link, Packet packet) {
        return packet.type() == RawMqttLink.PUBLISH
                ? "PUBLISH " + link.publish(packet).topic()
                : "packet type " + packet.type();
    }

    private static Packet next(BlockingQueue<Packet> packets) throws InterruptedException {
        Packet packet = packets.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (packet == null) {
            throw new AssertionError("no packet within " + WAIT);
        }
        return packet;
    }
}
