package dev.drawbridge.broker.it.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 5 as a client sees it, on the real broker: the HiveMQ client in MQTT 5 mode where it exposes the feature, raw
 * packets where a client library hides it (topic aliases, subscription identifiers, server DISCONNECTs). Every "not
 * delivered" is judged against a message that is delivered in the same test.
 */
class Mqtt5IT {

    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final String SYS_DROPPED = "$SYS/broker/publish/messages/dropped";

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest("sys_interval 1");

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void disconnectClients() {
        for (Mqtt5BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        clients.add(client);
        return client;
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
        assertThat(received).as("a message within 5 s").isPresent();
        return received.get();
    }

    @Test
    void aMessagesPropertiesReachAnMqtt5SubscriberUnchangedAndInOrder() throws Exception {
        Mqtt5BlockingClient subscriber = client("props-sub");
        subscriber.connect();
        try (var publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber
                    .subscribeWith()
                    .topicFilter("props/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Mqtt5BlockingClient publisher = client("props-pub");
            publisher.connect();
            publisher
                    .publishWith()
                    .topic("props/door")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("open".getBytes(UTF_8))
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .contentType("text/plain")
                    .responseTopic("props/reply")
                    .correlationData("req-42".getBytes(UTF_8))
                    .messageExpiryInterval(3600)
                    .userProperties()
                    .add("zone", "garage")
                    .add("by", "alice")
                    .add("zone", "again")
                    .applyUserProperties()
                    .send();

            Mqtt5Publish got = receive(publishes);
            assertThat(new String(got.getPayloadAsBytes(), UTF_8)).isEqualTo("open");
            assertThat(got.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(got.getContentType().map(Object::toString)).contains("text/plain");
            assertThat(got.getResponseTopic().map(Object::toString)).contains("props/reply");
            assertThat(got.getCorrelationData().map(b -> UTF_8.decode(b).toString()))
                    .contains("req-42");
            assertThat(got.getMessageExpiryInterval().orElseThrow()).isBetween(3595L, 3600L);
            assertThat(got.getUserProperties().asList().stream()
                            .map(p -> p.getName() + "=" + p.getValue())
                            .collect(Collectors.toList()))
                    .containsExactly("zone=garage", "by=alice", "zone=again");
        }
    }

    @Test
    void aPubAckSaysWhenNoSubscriptionMatched() {
        Mqtt5BlockingClient client = client("puback-10");
        client.connect();
        client.subscribeWith().topicFilter("watched/#").send();

        Mqtt5PublishResult unwatched = client.publishWith()
                .topic("nobody/listens")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5PublishResult watched = client.publishWith()
                .topic("watched/x")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();

        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) unwatched).getPubAck().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) watched).getPubAck().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
        Mqtt5BlockingClient client = client("no-local");
        client.connect();
        try (var publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("room/+").noLocal(true).send();
            client.publishWith().topic("room/own").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient other = client("no-local-other");
            other.connect();
            other.publishWith().topic("room/other").qos(MqttQos.AT_LEAST_ONCE).send();

            assertThat(receive(publishes).getTopic().toString()).isEqualTo("room/other");
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfALiveMessage() throws Exception {
        Mqtt5BlockingClient keeps = client("rap-1");
        keeps.connect();
        Mqtt5BlockingClient clears = client("rap-0");
        clears.connect();
        try (var kept = keeps.publishes(MqttGlobalPublishFilter.ALL);
                var cleared = clears.publishes(MqttGlobalPublishFilter.ALL)) {
            keeps.subscribeWith().topicFilter("rap/t").retainAsPublished(true).send();
            clears.subscribeWith().topicFilter("rap/t").send();
            client("rap-pub").connect();
            clients.get(2)
                    .publishWith()
                    .topic("rap/t")
                    .retain(true)
                    .payload("v".getBytes(UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            assertThat(receive(kept).isRetain()).isTrue();
            assertThat(receive(cleared).isRetain()).isFalse();
        }
    }

    @Test
    void retainHandlingDecidesWhenRetainedMessagesAreSent() throws Exception {
        Mqtt5BlockingClient publisher = client("rh-pub");
        publisher.connect();
        publisher
                .publishWith()
                .topic("rh/t")
                .retain(true)
                .payload("kept".getBytes(UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5BlockingClient client = client("rh-sub");
        client.connect();
        try (var publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            // 2: never; 1: only for a new subscription; 0: on every SUBSCRIBE. Each step's answer comes before the
            // next.
            client.subscribeWith()
                    .topicFilter("rh/+")
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND)
                    .send();
            client.subscribeWith()
                    .topicFilter("rh/#")
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
                    .send();
            Mqtt5Publish first = receive(publishes);
            client.subscribeWith()
                    .topicFilter("rh/#")
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
                    .send();
            client.subscribeWith().topicFilter("rh/t").send();
            Mqtt5Publish second = receive(publishes);

            assertThat(first.isRetain()).isTrue();
            assertThat(second.isRetain()).isTrue();
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS))
                    .as("no third copy: rh/+ (never) and rh/# again (not new) sent none")
                    .isEmpty();
        }
    }

    @Test
    void aQueuedMessageWhoseExpiryPassedIsNeverDelivered() throws Exception {
        Mqtt5BlockingClient away = client("expiry-away");
        away.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        away.subscribeWith().topicFilter("expiry/#").qos(MqttQos.AT_LEAST_ONCE).send();
        away.disconnect();
        Mqtt5BlockingClient publisher = client("expiry-pub");
        publisher.connect();
        publisher
                .publishWith()
                .topic("expiry/short")
                .qos(MqttQos.AT_LEAST_ONCE)
                .messageExpiryInterval(1)
                .send();
        publisher
                .publishWith()
                .topic("expiry/long")
                .qos(MqttQos.AT_LEAST_ONCE)
                .messageExpiryInterval(3600)
                .send();
        Thread.sleep(2_100); // the short one's 1 s expiry passes while it is queued

        try (var publishes = away.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = away.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(600)
                    .send();
            assertThat(ack.isSessionPresent()).isTrue();
            Mqtt5Publish got = receive(publishes);
            assertThat(got.getTopic().toString()).isEqualTo("expiry/long");
            assertThat(got.getMessageExpiryInterval().orElseThrow()).isBetween(3590L, 3599L);
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void aSessionEndsWhenItsExpiryIntervalPassesAndLivesUntilThen() throws Exception {
        Mqtt5BlockingClient shortLived = client("expiry-1s");
        shortLived.connectWith().sessionExpiryInterval(1).send();
        shortLived.disconnect();
        Mqtt5BlockingClient longLived = client("expiry-1h");
        longLived.connectWith().sessionExpiryInterval(3600).send();
        longLived.disconnect();
        Thread.sleep(3_000); // the expiry check runs once a second

        assertThat(shortLived
                        .connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(1)
                        .send()
                        .isSessionPresent())
                .isFalse();
        assertThat(longLived
                        .connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(3600)
                        .send()
                        .isSessionPresent())
                .isTrue();
    }

    @Test
    void disconnectWithWillMessagePublishesTheWillAndAPlainDisconnectDoesNot() throws Exception {
        Mqtt5BlockingClient watcher = client("will-watcher");
        watcher.connect();
        try (var wills = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("wills/#").send();
            Mqtt5BlockingClient plain = client("will-plain");
            plain.connectWith()
                    .willPublish()
                    .topic("wills/plain")
                    .payload("gone".getBytes(UTF_8))
                    .applyWillPublish()
                    .send();
            plain.disconnect();
            Mqtt5BlockingClient withWill = client("will-04");
            withWill.connectWith()
                    .willPublish()
                    .topic("wills/04")
                    .payload("gone".getBytes(UTF_8))
                    .userProperties()
                    .add("why", "asked")
                    .applyUserProperties()
                    .applyWillPublish()
                    .send();
            withWill.disconnectWith()
                    .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                    .send();

            Mqtt5Publish will = receive(wills);
            assertThat(will.getTopic().toString()).isEqualTo("wills/04");
            assertThat(will.getUserProperties().asList()).hasSize(1);
            assertThat(wills.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void aDelayedWillIsDroppedWhenTheClientComesBackInTimeAndSentWhenItDoesNot() throws Exception {
        RawConnection watcher = broker.open();
        watcher.send(V5.connect("delay-watcher", 0, 60, null));
        watcher.expect(Frame.CONNACK, ANSWER);
        watcher.send(V5.subscribe(1, "delayed/#", 0, 0));
        watcher.expect(Frame.SUBACK, ANSWER);

        RawConnection back = broker.open();
        // Due before the other one: had it not been dropped, it would arrive first.
        back.send(V5.connect("delay-back", 3600, 60, new V5.Will("delayed/back", 1)));
        back.expect(Frame.CONNACK, ANSWER);
        RawConnection gone = broker.open();
        gone.send(V5.connect("delay-gone", 3600, 60, new V5.Will("delayed/gone", 2)));
        gone.expect(Frame.CONNACK, ANSWER);
        back.close();
        gone.close();
        RawConnection again = broker.open();
        again.send(V5.connect("delay-back", 3600, 60, null, false));
        assertThat(again.expect(Frame.CONNACK, ANSWER).sessionPresent()).isTrue();

        Frame will = watcher.expect(Frame.PUBLISH, Duration.ofSeconds(6));
        assertThat(V5.topicOf(will)).isEqualTo("delayed/gone");
        watcher.send(V5.PINGREQ);
        assertThat(watcher.expectFrame(ANSWER).type())
                .as("nothing but the ping answer: delayed/back's will was dropped")
                .isEqualTo(Frame.PINGRESP);
    }

    @Test
    void topicAliasesFromAClientSetAndUseTheTopic() throws Exception {
        RawConnection subscriber = broker.open();
        subscriber.send(V5.connect("alias-sub", 0, 60, null));
        subscriber.expect(Frame.CONNACK, ANSWER);
        subscriber.send(V5.subscribe(1, "alias/#", 0, 0));
        subscriber.expect(Frame.SUBACK, ANSWER);
        RawConnection publisher = broker.open();
        publisher.send(V5.connect("alias-pub", 0, 60, null));
        publisher.expect(Frame.CONNACK, ANSWER);

        publisher.send(V5.publishQos0("alias/long/topic/name", 3, "first"));
        publisher.send(V5.publishQos0("", 3, "second"));

        assertThat(V5.payloadOf(subscriber.expect(Frame.PUBLISH, ANSWER))).isEqualTo("first");
        Frame second = subscriber.expect(Frame.PUBLISH, ANSWER);
        assertThat(V5.topicOf(second)).isEqualTo("alias/long/topic/name");
        assertThat(V5.payloadOf(second)).isEqualTo("second");
    }

    @Test
    void aTopicAliasAboveTheMaximumGetsDisconnect0x94AndAnUnknownOne0x82() {
        RawConnection tooHigh = broker.open();
        tooHigh.send(V5.connect("alias-high", 0, 60, null));
        tooHigh.expect(Frame.CONNACK, ANSWER);
        tooHigh.send(V5.publishQos0("alias/x", 11, "x"));
        List<Frame> refused = tooHigh.expectClosed(ANSWER);
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).type()).isEqualTo(14);
        assertThat(refused.get(0).body()).containsExactly(0x94);

        RawConnection unknown = broker.open();
        unknown.send(V5.connect("alias-unknown", 0, 60, null));
        unknown.expect(Frame.CONNACK, ANSWER);
        unknown.send(V5.publishQos0("", 4, "x"));
        List<Frame> before = unknown.expectClosed(ANSWER);

        assertThat(before).hasSize(1);
        assertThat(before.get(0).type()).isEqualTo(14);
        assertThat(before.get(0).body()).containsExactly(0x82);
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyWithEverySubscriptionIdentifier() {
        RawConnection client = broker.open();
        client.send(V5.connect("sub-ids", 0, 60, null));
        client.expect(Frame.CONNACK, ANSWER);
        client.send(V5.subscribe(1, "ids/+", 0, 7));
        client.expect(Frame.SUBACK, ANSWER);
        client.send(V5.subscribe(2, "ids/#", 0, 300));
        client.expect(Frame.SUBACK, ANSWER);
        client.send(V5.subscribe(3, "other/#", 0, 0));
        client.expect(Frame.SUBACK, ANSWER);

        client.send(V5.publishQos0("ids/a", 0, "x"));
        client.send(V5.publishQos0("other/a", 0, "y"));

        Frame withIds = client.expect(Frame.PUBLISH, ANSWER);
        assertThat(V5.subscriptionIdentifiers(withIds)).containsExactlyInAnyOrder(7, 300);
        Frame withoutIds = client.expect(Frame.PUBLISH, ANSWER);
        assertThat(V5.topicOf(withoutIds)).isEqualTo("other/a");
        assertThat(V5.subscriptionIdentifiers(withoutIds)).isEmpty();
    }

    @Test
    void aTakenOverMqtt5ConnectionIsToldWhyWithDisconnect0x8E() {
        RawConnection first = broker.open();
        first.send(V5.connect("taken", 0, 60, null));
        first.expect(Frame.CONNACK, ANSWER);
        RawConnection second = broker.open();
        second.send(V5.connect("taken", 0, 60, null));
        second.expect(Frame.CONNACK, ANSWER);

        List<Frame> before = first.expectClosed(ANSWER);
        assertThat(before).hasSize(1);
        assertThat(before.get(0).type()).isEqualTo(14);
        assertThat(before.get(0).body()).containsExactly(0x8E);
    }

    @Test
    void aDeliveryLargerThanTheClientsMaximumPacketSizeIsDroppedCountedInSysAndASmallOneDelivered() throws Exception {
        Mqtt5BlockingClient watcher = client("max-packet-sys");
        watcher.connect();
        try (var sys = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter(SYS_DROPPED).send();
            long before = Long.parseLong(nextSysValue(sys));

            Mqtt5BlockingClient small = client("max-packet");
            small.connectWith()
                    .restrictions()
                    .maximumPacketSize(200)
                    .applyRestrictions()
                    .send();
            try (var publishes = small.publishes(MqttGlobalPublishFilter.ALL)) {
                small.subscribeWith().topicFilter("size/#").send();
                Mqtt5BlockingClient publisher = client("max-packet-pub");
                publisher.connect();
                publisher.publishWith().topic("size/big").payload(new byte[500]).send();
                publisher
                        .publishWith()
                        .topic("size/bigger")
                        .payload(new byte[1000])
                        .send();
                publisher
                        .publishWith()
                        .topic("size/small")
                        .payload(new byte[10])
                        .send();

                assertThat(receive(publishes).getTopic().toString()).isEqualTo("size/small");
                assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
            }

            // Both large ones were dropped before the small one was delivered: the first count to reach them must be
            // exactly them, and the next one too (nothing counted late, nothing counted twice); ten publications at
            // most.
            long counted = Long.parseLong(nextSysValue(sys));
            for (int published = 1; published < 10 && counted < before + 2; published++) {
                counted = Long.parseLong(nextSysValue(sys));
            }
            assertThat(counted)
                    .as("%s after two dropped deliveries", SYS_DROPPED)
                    .isEqualTo(before + 2);
            assertThat(Long.parseLong(nextSysValue(sys)))
                    .as("%s, published again", SYS_DROPPED)
                    .isEqualTo(before + 2);
        }
    }

    /** The payload of the next {@code $SYS} message; {@code sys_interval 1} publishes one a second. */
    private static String nextSysValue(Mqtt5BlockingClient.Mqtt5Publishes sys) throws InterruptedException {
        Optional<Mqtt5Publish> received = sys.receive(5, TimeUnit.SECONDS);
        assertThat(received).as("%s within 5 s", SYS_DROPPED).isPresent();
        return new String(received.get().getPayloadAsBytes(), UTF_8);
    }

    @Test
    void theClientsReceiveMaximumBoundsWhatIsInFlightToIt() {
        RawConnection client = broker.open();
        client.send(V5.connect("recv-max", 0, 60, null, true, 1));
        client.expect(Frame.CONNACK, ANSWER);
        client.send(V5.subscribe(1, "rm/#", 1, 0));
        client.expect(Frame.SUBACK, ANSWER);
        for (int i = 0; i < 3; i++) {
            client.send(V5.publishQos1("rm/t", 10 + i, "m" + i));
        }

        // Its own three PUBACKs and one delivery; the second waits for the PUBACK of the first.
        List<Frame> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(client.expectFrame(ANSWER));
        }
        Frame first =
                seen.stream().filter(f -> f.type() == Frame.PUBLISH).findFirst().orElseThrow();
        assertThat(seen).filteredOn(f -> f.type() == Frame.PUBLISH).hasSize(1);
        client.send(V5.pubAck(first.packetId()));
        assertThat(V5.payloadOf(client.expect(Frame.PUBLISH, ANSWER))).isEqualTo("m1");
    }

    @Test
    void enhancedAuthenticationIsRefusedWith0x8C() {
        RawConnection client = broker.open();
        client.send(V5.connectWithAuthenticationMethod("auth-method", "SCRAM-SHA-1"));
        List<Frame> before = client.expectClosed(ANSWER);

        assertThat(before).hasSize(1);
        assertThat(before.get(0).type()).isEqualTo(Frame.CONNACK);
        assertThat(before.get(0).body()[1] & 0xFF).isEqualTo(0x8C);
    }

    @Test
    void anEmptyClientIdIsAssignedAndNamedInConnAck() {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        clients.add(client);

        Mqtt5ConnAck ack = client.connect();

        assertThat(ack.getAssignedClientIdentifier().map(Object::toString))
                .hasValueSatisfying(id -> assertThat(id).startsWith("auto-"));
        assertThat(ack.getRestrictions().getTopicAliasMaximum()).isEqualTo(10);
        assertThat(ack.getRestrictions().getReceiveMaximum()).isEqualTo(20);
    }

    @Test
    void anUnsubAckSaysPerFilterWhetherASubscriptionExisted() {
        RawConnection client = broker.open();
        client.send(V5.connect("unsub", 0, 60, null));
        client.expect(Frame.CONNACK, ANSWER);
        client.send(V5.subscribe(1, "u/a", 0, 0));
        client.expect(Frame.SUBACK, ANSWER);

        client.send(V5.unsubscribe(2, "u/a", "u/never"));

        assertThat(client.expect(Frame.UNSUBACK, ANSWER).body()).containsExactly(0, 2, 0, 0x00, 0x11);
    }

    /** MQTT 5 packets for the raw connections, as bytes. */
    static final class V5 {

        static final byte[] PINGREQ = {(byte) 0xC0, 0};

        record Will(String topic, int delaySeconds) {}

        private V5() {}

        static byte[] connect(String id, long sessionExpiry, int keepAlive, Will will) {
            return connect(id, sessionExpiry, keepAlive, will, true, 0);
        }

        static byte[] connect(String id, long sessionExpiry, int keepAlive, Will will, boolean cleanStart) {
            return connect(id, sessionExpiry, keepAlive, will, cleanStart, 0);
        }

        static byte[] connect(
                String id, long sessionExpiry, int keepAlive, Will will, boolean cleanStart, int receiveMaximum) {
            var body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(5);
            body.write((cleanStart ? 0x02 : 0) | (will != null ? 0x04 : 0));
            u16(body, keepAlive);
            var props = new ByteArrayOutputStream();
            if (sessionExpiry > 0) {
                props.write(0x11);
                u32(props, sessionExpiry);
            }
            if (receiveMaximum > 0) {
                props.write(0x21);
                u16(props, receiveMaximum);
            }
            properties(body, props.toByteArray());
            string(body, id);
            if (will != null) {
                var willProps = new ByteArrayOutputStream();
                willProps.write(0x18);
                u32(willProps, will.delaySeconds());
                properties(body, willProps.toByteArray());
                string(body, will.topic());
                string(body, "gone");
            }
            return packet(0x10, body.toByteArray());
        }

        static byte[] connectWithAuthenticationMethod(String id, String method) {
            var body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(5);
            body.write(0x02);
            u16(body, 60);
            var props = new ByteArrayOutputStream();
            props.write(0x15);
            string(props, method);
            properties(body, props.toByteArray());
            string(body, id);
            return packet(0x10, body.toByteArray());
        }

        static byte[] subscribe(int packetId, String filter, int qos, int subscriptionId) {
            var body = new ByteArrayOutputStream();
            u16(body, packetId);
            var props = new ByteArrayOutputStream();
            if (subscriptionId > 0) {
                props.write(0x0B);
                varInt(props, subscriptionId);
            }
            properties(body, props.toByteArray());
            string(body, filter);
            body.write(qos);
            return packet(0x82, body.toByteArray());
        }

        static byte[] unsubscribe(int packetId, String... filters) {
            var body = new ByteArrayOutputStream();
            u16(body, packetId);
            body.write(0);
            for (String filter : filters) {
                string(body, filter);
            }
            return packet(0xA2, body.toByteArray());
        }

        static byte[] publishQos0(String topic, int alias, String payload) {
            var body = new ByteArrayOutputStream();
            string(body, topic);
            var props = new ByteArrayOutputStream();
            if (alias > 0) {
                props.write(0x23);
                u16(props, alias);
            }
            properties(body, props.toByteArray());
            body.writeBytes(payload.getBytes(UTF_8));
            return packet(0x30, body.toByteArray());
        }

        static byte[] publishQos1(String topic, int packetId, String payload) {
            var body = new ByteArrayOutputStream();
            string(body, topic);
            u16(body, packetId);
            body.write(0);
            body.writeBytes(payload.getBytes(UTF_8));
            return packet(0x32, body.toByteArray());
        }

        static byte[] pubAck(int packetId) {
            return new byte[] {0x40, 2, (byte) (packetId >> 8), (byte) packetId};
        }

        /** A delivered PUBLISH's topic. */
        static String topicOf(Frame publish) {
            byte[] b = publish.body();
            int length = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
            return new String(b, 2, length, UTF_8);
        }

        /** Where a delivered PUBLISH's properties start, and their length. */
        private static int[] propertiesOf(Frame publish) {
            byte[] b = publish.body();
            int at = 2 + (((b[0] & 0xFF) << 8) | (b[1] & 0xFF)) + (publish.qos() > 0 ? 2 : 0);
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = b[at++] & 0xFF;
                length |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            return new int[] {at, length};
        }

        static String payloadOf(Frame publish) {
            int[] p = propertiesOf(publish);
            byte[] b = publish.body();
            int start = p[0] + p[1];
            return new String(b, start, b.length - start, UTF_8);
        }

        /** The subscription identifiers of a delivered PUBLISH (it carries no other variable-length property here). */
        static List<Integer> subscriptionIdentifiers(Frame publish) {
            int[] p = propertiesOf(publish);
            byte[] b = publish.body();
            List<Integer> ids = new ArrayList<>();
            int at = p[0];
            int end = p[0] + p[1];
            while (at < end) {
                int id = b[at++] & 0xFF;
                if (id != 0x0B) {
                    throw new AssertionError("unexpected property 0x" + Integer.toHexString(id));
                }
                int value = 0;
                int shift = 0;
                int digit;
                do {
                    digit = b[at++] & 0xFF;
                    value |= (digit & 0x7F) << shift;
                    shift += 7;
                } while ((digit & 0x80) != 0);
                ids.add(value);
            }
            return ids;
        }

        private static byte[] packet(int first, byte[] body) {
            var out = new ByteArrayOutputStream();
            out.write(first);
            varInt(out, body.length);
            out.writeBytes(body);
            return out.toByteArray();
        }

        private static void properties(ByteArrayOutputStream out, byte[] props) {
            varInt(out, props.length);
            out.writeBytes(props);
        }

        private static void string(ByteArrayOutputStream out, String s) {
            byte[] bytes = s.getBytes(UTF_8);
            u16(out, bytes.length);
            out.writeBytes(bytes);
        }

        private static void u16(ByteArrayOutputStream out, int v) {
            out.write(v >> 8);
            out.write(v);
        }

        private static void u32(ByteArrayOutputStream out, long v) {
            out.write((int) (v >> 24));
            out.write((int) (v >> 16));
            out.write((int) (v >> 8));
            out.write((int) v);
        }

        private static void varInt(ByteArrayOutputStream out, int value) {
            int v = value;
            do {
                int digit = v & 0x7F;
                v >>>= 7;
                out.write(v > 0 ? digit | 0x80 : digit);
            } while (v > 0);
        }
    }
}
