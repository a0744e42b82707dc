package dev.drawbridge.broker.moquette.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.moquette.store.MessageStore.Durability;
import io.moquette.broker.ISessionsRepository.SessionData;
import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store keeps across a simulated {@code kill -9}: committed changes only, nothing more, nothing less. */
class MessageStoreTest {

    @TempDir
    Path dir;

    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(MessageStore::close);
    }

    private MessageStore open(Durability durability) throws Exception {
        MessageStore store = MessageStore.open(dir, durability, Duration.ofHours(1));
        open.add(store);
        return store;
    }

    private void crash(MessageStore store) {
        open.remove(store);
        store.closeWithoutSaving();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, UTF_8);
    }

    private static SessionMessageQueue<SessionRegistry.EnqueuedMessage> persistentSession(
            MessageStore store, String clientId) {
        var queue = store.repositories().queues().getOrCreateQueue(clientId);
        store.repositories()
                .sessions()
                .saveSession(new SessionData(clientId, MqttVersion.MQTT_3_1_1, Integer.MAX_VALUE, Clock.systemUTC()));
        return queue;
    }

    private static List<String> drain(SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue) {
        List<String> found = new ArrayList<>();
        while (!queue.isEmpty()) {
            var m = (SessionRegistry.PublishedMessage) queue.dequeue();
            found.add(m.getTopic() + "=" + m.getPayload().toString(UTF_8) + "@"
                    + m.getPublishingQos().value());
            m.release();
        }
        return found;
    }

    @Test
    void aSavedMessageOwedToAPersistentSessionSurvivesACrashAndRefillsItsQueue() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        persistentSession(store, "garage");
        store.queued("garage", "door/cmd", 1, text("OPEN"));
        store.queued("garage", "door/cmd", 2, text("CLOSE"));
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        assertThat(again.repositories().sessions().list()).singleElement().satisfies(s -> {
            assertThat(s.clientId()).isEqualTo("garage");
            // Moquette 0.17 refuses to start on a session without an expiry instant.
            assertThat(s.expireAt()).isPresent();
        });
        assertThat(again.repositories().queues().containsQueue("garage")).isTrue();
        assertThat(drain(again.repositories().queues().getOrCreateQueue("garage")))
                .containsExactly("door/cmd=OPEN@1", "door/cmd=CLOSE@2");
    }

    @Test
    void aMessageTheSubscriberAcknowledgedIsNoLongerOwed() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        persistentSession(store, "garage");
        store.queued("garage", "door/cmd", 1, text("OPEN"));
        store.queued("garage", "door/cmd", 1, text("CLOSE"));
        store.sent("garage", "door/cmd", text("OPEN"), 7, false);
        store.sent("garage", "door/cmd", text("CLOSE"), 8, false);
        store.acknowledged("garage", 7);
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        // Sent but not acknowledged: owed again after the crash (a duplicate at worst, never a loss).
        assertThat(drain(again.repositories().queues().getOrCreateQueue("garage")))
                .containsExactly("door/cmd=CLOSE@1");
    }

    @Test
    void anOutgoingPublishIsMatchedByTopicAndPayloadNotByPosition() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        persistentSession(store, "garage");
        store.queued("garage", "a", 1, text("1"));
        store.queued("garage", "b", 1, text("2"));
        // Routed by two publishers' session loops, delivered in the other order.
        store.sent("garage", "b", text("2"), 1, false);
        store.acknowledged("garage", 1);
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        assertThat(drain(open(Durability.DURABLE).repositories().queues().getOrCreateQueue("garage")))
                .containsExactly("a=1@1");
    }

    @Test
    void inAutosaveModeNothingWaitsAndACrashLosesWhatWasNotYetSaved() throws Exception {
        MessageStore store = open(Durability.AUTOSAVE);
        persistentSession(store, "garage");
        store.queued("garage", "door/cmd", 1, text("OPEN"));
        assertThat(store.saved()).isDone();
        crash(store);

        MessageStore again = open(Durability.AUTOSAVE);
        assertThat(again.repositories().queues().containsQueue("garage")).isFalse();
        assertThat(again.repositories().sessions().list()).isEmpty();
    }

    @Test
    void aCleanStopSavesEverythingInAutosaveMode() throws Exception {
        MessageStore store = open(Durability.AUTOSAVE);
        persistentSession(store, "garage");
        store.queued("garage", "door/cmd", 1, text("OPEN"));
        open.remove(store);
        store.close();

        assertThat(drain(open(Durability.AUTOSAVE).repositories().queues().getOrCreateQueue("garage")))
                .containsExactly("door/cmd=OPEN@1");
    }

    @Test
    void subscriptionsAndRetainedMessagesSurviveACrash() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        persistentSession(store, "garage");
        persistentSession(store, "a-b");
        persistentSession(store, "b");
        store.repositories()
                .subscriptions()
                .addNewSubscription(new Subscription("garage", new Topic("door/#"), MqttQoS.AT_LEAST_ONCE));
        store.repositories()
                .subscriptions()
                .addNewSubscription(new Subscription("clean-one", new Topic("door/#"), MqttQoS.AT_LEAST_ONCE));
        // A '-' in both parts: Moquette's own key (filter + "-" + client id) would collide here.
        store.repositories()
                .subscriptions()
                .addNewSubscription(new Subscription("a-b", new Topic("c"), MqttQoS.AT_MOST_ONCE));
        store.repositories()
                .subscriptions()
                .addNewSubscription(new Subscription("b", new Topic("c-a"), MqttQoS.EXACTLY_ONCE));
        Topic state = new Topic("door/state");
        store.repositories().retained().retain(state, retained("door/state", "open"));
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        assertThat(again.repositories().subscriptions().listAllSubscriptions())
                .extracting(s -> s.getClientId() + " " + s.getTopicFilter() + " "
                        + s.getRequestedQos().value())
                .containsExactlyInAnyOrder("garage door/# 1", "a-b c 0", "b c-a 2");
        assertThat(again.repositories().retained().retainedOnTopic("door/#"))
                .singleElement()
                .satisfies(m -> assertThat(new String(m.getPayload(), UTF_8)).isEqualTo("open"));
    }

    private static MqttPublishMessage retained(String topic, String payload) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, true, 0),
                new MqttPublishVariableHeader(topic, 1),
                text(payload));
    }

    @Test
    void recordsOfCleanSessionsAndQueuesWithoutASessionAreDroppedWhenTheStoreOpens() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        store.repositories()
                .sessions()
                .saveSession(new SessionData("clean", MqttVersion.MQTT_3_1_1, 0, Clock.systemUTC()));
        store.repositories().queues().getOrCreateQueue("half-connected");
        store.queued("half-connected", "t", 1, text("x"));
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        assertThat(again.repositories().sessions().list()).isEmpty();
        assertThat(again.repositories().queues().listQueueNames()).isEmpty();
    }

    @Test
    void purgingAPersistentSessionForgetsEverythingOwedToIt() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        var queue = persistentSession(store, "garage");
        store.queued("garage", "door/cmd", 1, text("OPEN"));
        assertThat(store.firstQos2Receipt("garage", true, 5)).isTrue();
        queue.closeAndPurge();
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        assertThat(again.repositories().queues().containsQueue("garage")).isFalse();
        assertThat(again.firstQos2Receipt("garage", true, 5)).isTrue();
    }

    @Test
    void aQos2PacketIdIsADuplicateUntilReleasedAndAPersistentSessionsReceiptSurvivesACrash() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        assertThat(store.firstQos2Receipt("sensor", true, 1)).isTrue();
        assertThat(store.firstQos2Receipt("sensor", true, 1)).isFalse();
        assertThat(store.firstQos2Receipt("sensor", true, 2)).isTrue();
        assertThat(store.firstQos2Receipt("other", true, 1)).isTrue();
        store.qos2Released("sensor", 2);
        assertThat(store.firstQos2Receipt("sensor", true, 2)).isTrue();
        assertThat(store.firstQos2Receipt("clean", false, 1)).isTrue();
        assertThat(store.firstQos2Receipt("clean", false, 1)).isFalse();
        store.connectionEnded("clean");
        assertThat(store.firstQos2Receipt("clean", false, 1)).isTrue();
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        assertThat(again.firstQos2Receipt("sensor", true, 1)).isFalse();
        assertThat(again.firstQos2Receipt("clean", false, 1)).isTrue();
    }

    @Test
    void aResendMatchesOnlyWhatWasNotMatchedYet() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        persistentSession(store, "garage");
        store.queued("garage", "t", 1, text("same"));
        store.queued("garage", "t", 1, text("same"));
        store.sent("garage", "t", text("same"), 1, false);
        store.sent("garage", "t", text("same"), 1, true); // the re-send of packet 1: not a second message
        store.sent("garage", "t", text("same"), 2, true); // a first sending that was dropped, re-sent
        store.acknowledged("garage", 1);
        store.acknowledged("garage", 2);
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        MessageStore again = open(Durability.DURABLE);
        assertThat(again.repositories().queues().listQueueNames()).containsExactly("garage");
        assertThat(drain(again.repositories().queues().getOrCreateQueue("garage")))
                .isEmpty();
    }

    @Test
    void aDroppedMessageIsNoLongerOwed() throws Exception {
        MessageStore store = open(Durability.DURABLE);
        persistentSession(store, "garage");
        store.queued("garage", "t", 1, text("kept"));
        store.queued("garage", "t", 1, text("dropped"));
        store.dropped("garage", "t", text("dropped"));
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        assertThat(drain(open(Durability.DURABLE).repositories().queues().getOrCreateQueue("garage")))
                .containsExactly("t=kept@1");
    }

    @Test
    void anInMemoryStoreNeverMakesAnAcknowledgementWait() {
        MessageStore store = MessageStore.inMemory();
        open.add(store);
        store.queued("garage", "t", 1, text("x"));
        assertThat(store.saved()).isDone();
        assertThat(store.firstQos2Receipt("garage", true, 1)).isTrue();
        assertThat(store.firstQos2Receipt("garage", true, 1)).isFalse();
    }
}
