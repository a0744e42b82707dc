package dev.drawbridge.broker.engine.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredRelease;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredRetained;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredSession;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredSubscription;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine's store file keeps across a close, a simulated {@code kill -9} and an autosave. */
class EngineStoreFileTest {

    @TempDir
    Path dir;

    private final List<EngineStoreFile> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(EngineStoreFile::close);
    }

    private EngineStoreFile open(boolean durable, Duration autosaveInterval) throws Exception {
        EngineStoreFile store = EngineStoreFile.open(dir, durable, autosaveInterval);
        open.add(store);
        return store;
    }

    private EngineStoreFile durable() throws Exception {
        return open(true, Duration.ZERO);
    }

    private void crash(EngineStoreFile store) {
        open.remove(store);
        store.closeWithoutSaving();
    }

    private void close(EngineStoreFile store) {
        open.remove(store);
        store.close();
    }

    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, UTF_8);
    }

    private static StoredMessage message(long key, String topic, int qos, boolean retain, String text, int packetId) {
        return new StoredMessage(key, topic, qos, retain, text.getBytes(UTF_8), packetId);
    }

    @Test
    void mqtt5SessionsSubscriptionOptionsPropertiesAndExpiryComeBackAfterAKill() throws Exception {
        EngineStoreFile store = durable();
        store.recover();
        byte[] properties = {0x26, 0, 1, 'k', 0, 1, 'v', 0x0B, 7};
        store.sessionOpened("v5", 3600);
        store.subscribed("v5", "door/#", new SubscriptionOptions(1, true, true, 2, 268_435_455));
        long key = store.owe("v5", "door/1", 1, false, text("open"), properties, 1_900_000_000_000L);
        store.retained("door/state", 1, text("closed"), properties, 1_900_000_000_000L);
        store.saved().join();
        crash(store);

        StoreSnapshot snapshot = durable().recover();

        StoreSnapshot.StoredSession session = snapshot.sessions().get(0);
        assertThat(session.expiryInterval()).isEqualTo(3600);
        assertThat(session.subscriptions())
                .containsExactly(
                        new StoredSubscription("door/#", new SubscriptionOptions(1, true, true, 2, 268_435_455)));
        StoredMessage owed = session.owed().get(0);
        assertThat(owed.key()).isEqualTo(key);
        assertThat(owed.properties()).isEqualTo(properties);
        assertThat(owed.expiresAt()).isEqualTo(1_900_000_000_000L);
        assertThat(new String(owed.payload(), UTF_8)).isEqualTo("open");
        StoreSnapshot.StoredRetained retained = snapshot.retained().get(0);
        assertThat(retained.properties()).isEqualTo(properties);
        assertThat(retained.expiresAt()).isEqualTo(1_900_000_000_000L);
        assertThat(new String(retained.payload(), UTF_8)).isEqualTo("closed");
    }

    /**
     * check_retain_source needs a retained message's publisher after a restart: it is kept with the message (with or
     * without MQTT 5 properties, with or without a username), and a record written before publishers were kept (no
     * publisher bit) still loads, as a message without one.
     */
    @Test
    void theRetainedMessagesPublisherComesBackAfterAKillAndOldRecordsStillLoad() throws Exception {
        EngineStoreFile store = durable();
        store.recover();
        byte[] properties = {0x26, 0, 1, 'k', 0, 1, 'v'};
        Publisher alice = new Publisher("alice-pub", Optional.of("alice"), "1883");
        Publisher anonymous = new Publisher("sensor-\u00e9", Optional.empty(), "8883");
        store.retained("home/door", 1, text("open"), new byte[0], 0, alice);
        store.retained("home/light", 0, text("on"), properties, 1_900_000_000_000L, anonymous);
        store.retained("home/old", 2, text("before"), new byte[0], 0);
        store.saved().join();
        crash(store);

        Map<String, StoreSnapshot.StoredRetained> retained = durable().recover().retained().stream()
                .collect(Collectors.toMap(StoreSnapshot.StoredRetained::topic, r -> r));

        assertThat(retained.get("home/door").publisher()).isEqualTo(alice);
        assertThat(new String(retained.get("home/door").payload(), UTF_8)).isEqualTo("open");
        assertThat(retained.get("home/light").publisher()).isEqualTo(anonymous);
        assertThat(retained.get("home/light").properties()).isEqualTo(properties);
        assertThat(retained.get("home/light").expiresAt()).isEqualTo(1_900_000_000_000L);
        assertThat(new String(retained.get("home/light").payload(), UTF_8)).isEqualTo("on");
        assertThat(retained.get("home/old").publisher()).isNull();
        assertThat(retained.get("home/old").qos()).isEqualTo(2);
        assertThat(new String(retained.get("home/old").payload(), UTF_8)).isEqualTo("before");
    }

    @Test
    void aDelayedWillComesBackAfterAKillUntilItIsCleared() throws Exception {
        EngineStoreFile store = durable();
        store.recover();
        byte[] properties = {0x26, 0, 1, 'k', 0, 1, 'v'};
        store.sessionOpened("door", 3600);
        store.willDelayed("door", "door/status", 1, true, text("offline"), properties, 0, 1_900_000_000_000L);
        store.sessionOpened("gone", 3600);
        store.willDelayed("gone", "gone/status", 0, false, text("x"), new byte[0], 0, 1_900_000_000_000L);
        store.willCleared("gone");
        store.saved().join();
        crash(store);

        StoreSnapshot snapshot = durable().recover();

        assertThat(snapshot.wills()).hasSize(1);
        StoreSnapshot.StoredWill will = snapshot.wills().get(0);
        assertThat(will.clientId()).isEqualTo("door");
        assertThat(will.dueAt()).isEqualTo(1_900_000_000_000L);
        assertThat(will.message().topic()).isEqualTo("door/status");
        assertThat(will.message().qos()).isEqualTo(1);
        assertThat(will.message().retain()).isTrue();
        assertThat(will.message().properties()).isEqualTo(properties);
        assertThat(new String(will.message().payload(), UTF_8)).isEqualTo("offline");
    }

    @Test
    void everyKindOfRecordComesBackAfterCloseAndReopen() throws Exception {
        EngineStoreFile store = durable();
        assertThat(store.recover()).isEqualTo(StoreSnapshot.empty());
        Instant gone = Instant.parse("2026-12-07T08:00:00.123Z");
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        store.sessionOpened("alarm", 0xFFFF_FFFFL);
        store.sessionDisconnected("alarm", gone);
        store.subscribed("garage", "door/+/cmd", SubscriptionOptions.qos(1));
        store.subscribed("garage", "door/#", SubscriptionOptions.qos(2));
        store.subscribed("garage", "gone", SubscriptionOptions.qos(0));
        store.unsubscribed("garage", "gone");
        store.subscribed("alarm", "door/#", SubscriptionOptions.qos(0));
        ByteBuf payload = text("OPEN");
        long first = store.owe("garage", "door/1/cmd", 1, false, payload, new byte[0], 0);
        assertThat(payload.readerIndex())
                .as("the payload's reader index is unchanged")
                .isZero();
        long second = store.owe("garage", "door/2/cmd", 2, true, text("CLOSE"), new byte[0], 0);
        long third = store.owe("garage", "door/3/cmd", 1, false, Unpooled.EMPTY_BUFFER, new byte[0], 0);
        long received = store.owe("garage", "door/4/cmd", 2, false, text("LOCK"), new byte[0], 0);
        long completed = store.owe("garage", "door/5/cmd", 2, false, text("UNLOCK"), new byte[0], 0);
        store.sent("garage", second, 7);
        store.sent("garage", received, 8);
        store.releaseOwed("garage", received, 8);
        store.sent("garage", completed, 9);
        store.releaseOwed("garage", completed, 9);
        store.forget("garage", completed);
        store.qos2Received("garage", 5, 51L);
        store.qos2Received("garage", 65535, -7L);
        store.qos2Received("garage", 6, 66L);
        store.qos2Received("garage", 5, 55L); // another message under packet id 5 before its PUBREL
        store.qos2Released("garage", 6);
        store.retained("door/state", 1, text("closed"), new byte[0], 0);
        store.retained("door/light", 0, Unpooled.EMPTY_BUFFER, new byte[0], 0);
        store.retained("gone", 2, text("x"), new byte[0], 0);
        store.retainedCleared("gone");
        close(store);

        StoreSnapshot snapshot = durable().recover();

        StoreSnapshot expected = new StoreSnapshot(
                List.of(
                        new StoredSession(
                                "alarm",
                                0xFFFF_FFFFL,
                                Optional.of(gone),
                                List.of(new StoredSubscription("door/#", 0)),
                                List.of(),
                                List.of(),
                                Map.of()),
                        new StoredSession(
                                "garage",
                                0xFFFF_FFFFL,
                                Optional.empty(),
                                List.of(new StoredSubscription("door/#", 2), new StoredSubscription("door/+/cmd", 1)),
                                List.of(
                                        message(first, "door/1/cmd", 1, false, "OPEN", 0),
                                        message(second, "door/2/cmd", 2, true, "CLOSE", 7),
                                        message(third, "door/3/cmd", 1, false, "", 0)),
                                List.of(new StoredRelease(received, 8)),
                                Map.of(5, 55L, 65535, -7L))),
                List.of(
                        new StoredRetained("door/light", 0, new byte[0]),
                        new StoredRetained("door/state", 1, "closed".getBytes(UTF_8))));
        assertThat(snapshot).usingRecursiveComparison().isEqualTo(expected);
        assertThat(Files.exists(dir.resolve("drawbridge-engine.mv"))).isTrue();
    }

    @Test
    void aCrashInDurableModeLosesNothingSavedHadConfirmed() throws Exception {
        EngineStoreFile store = durable();
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        store.subscribed("garage", "door/cmd", SubscriptionOptions.qos(1));
        long key = store.owe("garage", "door/cmd", 1, false, text("OPEN"), new byte[0], 0);
        store.qos2Received("garage", 9, 99L);
        store.retained("door/state", 1, text("open"), new byte[0], 0);
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        StoredSession session = durable().recover().sessions().get(0);

        assertThat(session.subscriptions()).containsExactly(new StoredSubscription("door/cmd", 1));
        assertThat(session.owed()).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo(key);
            assertThat(new String(m.payload(), UTF_8)).isEqualTo("OPEN");
        });
        assertThat(session.qos2Received()).containsExactly(Map.entry(9, 99L));
    }

    @Test
    void aMessageForgottenAndSavedStaysForgottenAfterACrash() throws Exception {
        EngineStoreFile store = durable();
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        long acknowledged = store.owe("garage", "a", 1, false, text("1"), new byte[0], 0);
        long owed = store.owe("garage", "b", 1, false, text("2"), new byte[0], 0);
        store.sent("garage", acknowledged, 1);
        store.forget("garage", acknowledged);
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        EngineStoreFile again = durable();
        assertThat(again.recover().sessions().get(0).owed())
                .extracting(StoredMessage::key)
                .containsExactly(owed);
        assertThat(StoreMaps.open(again.mvStore()).packetIds()).isEmpty();
    }

    @Test
    void inAutosaveModeNothingWaitsAndTheIntervalSaves() throws Exception {
        EngineStoreFile store = open(false, Duration.ofMillis(50));
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        store.owe("garage", "door/cmd", 1, false, text("OPEN"), new byte[0], 0);
        assertThat(store.saved()).isCompleted();
        Awaitility.await("an autosave")
                .atMost(Duration.ofSeconds(10))
                .until(() -> !store.mvStore().hasUnsavedChanges());
        crash(store);

        assertThat(open(false, Duration.ofMillis(50)).recover().sessions())
                .singleElement()
                .satisfies(s -> assertThat(s.owed()).hasSize(1));
    }

    @Test
    void anAutosaveIntervalOfZeroSavesAtCloseOnly() throws Exception {
        EngineStoreFile store = open(false, Duration.ZERO);
        store.sessionOpened("lost", 0xFFFF_FFFFL);
        assertThat(store.saved()).isCompleted();
        crash(store);
        EngineStoreFile again = open(false, Duration.ZERO);
        assertThat(again.recover().sessions()).isEmpty();
        again.sessionOpened("kept", 0xFFFF_FFFFL);
        close(again);

        assertThat(open(false, Duration.ZERO).recover().sessions())
                .extracting(StoredSession::clientId)
                .containsExactly("kept");
    }

    @Test
    void keysIncreasePerClientAndContinueAboveTheHighestRecoveredAfterARestart() throws Exception {
        EngineStoreFile store = durable();
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        long first = store.owe("garage", "t", 1, false, text("1"), new byte[0], 0);
        long second = store.owe("garage", "t", 1, false, text("2"), new byte[0], 0);
        long third = store.owe("garage", "t", 1, false, text("3"), new byte[0], 0);
        assertThat(first).isLessThan(second);
        assertThat(second).isLessThan(third);
        store.forget("garage", third);
        store.forget("garage", first);
        close(store);

        EngineStoreFile again = durable();
        assertThat(again.recover().sessions().get(0).owed())
                .extracting(StoredMessage::key)
                .containsExactly(second);
        assertThat(again.owe("garage", "t", 1, false, text("4"), new byte[0], 0))
                .isGreaterThan(second);
    }

    @Test
    void aPubrelOwedAndSavedSurvivesACrashInPlaceOfItsMessageAndKeepsItsKeyTaken() throws Exception {
        EngineStoreFile store = durable();
        store.sessionOpened("garage", 0xFFFF_FFFFL);
        long before = store.owe("garage", "a", 1, false, text("1"), new byte[0], 0);
        long received = store.owe("garage", "b", 2, false, text("2"), new byte[0], 0);
        store.sent("garage", before, 1);
        store.sent("garage", received, 2);
        store.releaseOwed("garage", received, 2);
        store.saved().get(5, TimeUnit.SECONDS);
        crash(store);

        EngineStoreFile again = durable();
        StoredSession session = again.recover().sessions().get(0);
        assertThat(session.owed()).extracting(StoredMessage::key).containsExactly(before);
        assertThat(session.releases()).containsExactly(new StoredRelease(received, 2));
        assertThat(StoreMaps.open(again.mvStore()).packetIds().keySet())
                .extracting(ClientKey::number)
                .as("the packet id of the message the PUBREL replaced is gone with it")
                .containsExactly(before);
        assertThat(again.owe("garage", "c", 1, false, text("3"), new byte[0], 0))
                .as("the key of the PUBREL, the highest stored, is not handed out again")
                .isGreaterThan(received);
    }

    @Test
    void aRemovedSessionLeavesNothingAndOtherClientsKeepTheirs() throws Exception {
        EngineStoreFile store = durable();
        for (String client : List.of("garage", "garage2", "garag")) {
            store.sessionOpened(client, 0xFFFF_FFFFL);
            store.subscribed(client, "door/#", SubscriptionOptions.qos(1));
            long key = store.owe(client, "door/cmd", 1, false, text("OPEN"), new byte[0], 0);
            store.sent(client, key, 3);
            store.releaseOwed(client, store.owe(client, "door/cmd", 2, false, text("LOCK"), new byte[0], 0), 5);
            store.qos2Received(client, 4, 44L);
        }
        store.sessionRemoved("garage");
        close(store);

        EngineStoreFile again = durable();
        assertThat(again.recover().sessions())
                .extracting(StoredSession::clientId)
                .containsExactly("garag", "garage2");
        StoreMaps maps = StoreMaps.open(again.mvStore());
        assertThat(maps.sessions()).doesNotContainKey("garage");
        for (var map : maps.clientMaps()) {
            assertThat(map.keySet()).extracting(ClientKey::clientId).containsOnly("garag", "garage2");
        }
    }

    @Test
    void recordsOfAClientWithoutASessionAreDroppedAtStart() throws Exception {
        EngineStoreFile store = durable();
        store.subscribed("half-removed", "door/#", SubscriptionOptions.qos(1));
        store.owe("half-removed", "door/cmd", 1, false, text("OPEN"), new byte[0], 0);
        store.releaseOwed(
                "half-removed", store.owe("half-removed", "door/cmd", 2, false, text("LOCK"), new byte[0], 0), 2);
        store.qos2Received("half-removed", 1, 11L);
        close(store);

        EngineStoreFile again = durable();
        assertThat(again.recover().sessions()).isEmpty();
        for (var map : StoreMaps.open(again.mvStore()).clientMaps()) {
            assertThat(map).isEmpty();
        }
    }
}
