package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's store in one H2 MVStore file, committed by a {@link StoreCommitter}. Writes come from any thread (the
 * maps are thread-safe); a write that fails is logged with the client id and what was written (never a payload) and
 * makes {@link #saved()} fail until a commit succeeds. What {@link #recover()} returns is read when the file is opened,
 * and handed over once. A disconnection time is kept to the millisecond.
 */
final class EngineStoreFile implements EngineStore {

    private static final Logger LOG = LoggerFactory.getLogger(EngineStoreFile.class);
    /**
     * The file inside the store directory. The store of Drawbridge's first releases ({@code drawbridge.mv}, written
     * for its Moquette-based core) is a different format and is not read.
     */
    static final String FILE_NAME = "drawbridge-engine.mv";

    private static final String EARLIER_FILE_NAME = "drawbridge.mv";

    private final MVStore mvStore;
    private final StoreCommitter committer;
    private final StoreMaps maps;
    private final AtomicLong nextKey;
    private final AtomicReference<StoreSnapshot> recovered;

    private EngineStoreFile(MVStore mvStore, StoreCommitter committer, StoreMaps maps, StoreRecovery recovery) {
        this.mvStore = mvStore;
        this.committer = committer;
        this.maps = maps;
        this.nextKey = new AtomicLong(recovery.highestKey() + 1);
        this.recovered = new AtomicReference<>(recovery.snapshot());
    }

    static EngineStoreFile open(Path directory, boolean durable, Duration autosaveInterval) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        Files.createDirectories(directory);
        Path earlier = directory.resolve(EARLIER_FILE_NAME);
        if (Files.exists(earlier) && !Files.exists(file)) {
            LOG.warn(
                    "{} is the store of an earlier Drawbridge, in a format this one does not read: its persistent"
                            + " sessions and retained messages are not restored. Remove it once you no longer need it.",
                    earlier);
        }
        MVStore mvStore;
        try {
            mvStore = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled()
                    .open();
            if (durable) {
                // Every commit is synced, so a free chunk may be reused at once: the file stays near its live size.
                mvStore.setRetentionTime(0);
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            StoreMaps maps = StoreMaps.open(mvStore);
            StoreRecovery recovery = StoreRecovery.read(maps);
            StoreCommitter committer = new StoreCommitter(mvStore, durable, autosaveInterval);
            if (recovery.removed() > 0) {
                committer.changed();
            }
            LOG.info(
                    "Engine store {}: {} persistent sessions, {} messages owed to them, {} retained messages{}.",
                    file,
                    recovery.snapshot().sessions().size(),
                    recovery.snapshot().sessions().stream()
                            .mapToInt(s -> s.owed().size())
                            .sum(),
                    recovery.snapshot().retained().size(),
                    recovery.removed() > 0 ? "; " + recovery.removed() + " records of ended sessions dropped" : "");
            return new EngineStoreFile(mvStore, committer, maps, recovery);
        } catch (RuntimeException e) {
            mvStore.closeImmediately();
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StoreSnapshot recover() {
        // Handed over once: the payloads are not kept twice.
        return recovered.getAndSet(StoreSnapshot.empty());
    }

    @Override
    public void sessionOpened(String clientId, long expiryInterval) {
        write("the session", clientId, () -> {
            maps.sessions().put(clientId, StoreMaps.CONNECTED);
            if (expiryInterval == StoreMaps.NEVER_EXPIRES) {
                maps.expiryIntervals().remove(clientId);
            } else {
                maps.expiryIntervals().put(clientId, expiryInterval);
            }
        });
    }

    @Override
    public void sessionDisconnected(String clientId, Instant at) {
        write("the disconnection time", clientId, () -> maps.sessions().put(clientId, at.toEpochMilli()));
    }

    @Override
    public void sessionRemoved(String clientId) {
        write("the end of the session", clientId, () -> maps.removeClient(clientId));
    }

    @Override
    public void subscribed(String clientId, String filter, SubscriptionOptions options) {
        write(
                "a subscription",
                clientId,
                () -> maps.subscriptions().put(ClientKey.named(clientId, filter), StoreMaps.packed(options)));
    }

    @Override
    public void unsubscribed(String clientId, String filter) {
        write("an unsubscription", clientId, () -> maps.subscriptions().remove(ClientKey.named(clientId, filter)));
    }

    @Override
    public void retained(String topic, int qos, ByteBuf payload, byte[] properties, long expiresAt) {
        retained(topic, qos, payload, properties, expiresAt, null);
    }

    @Override
    public void retained(
            String topic, int qos, ByteBuf payload, byte[] properties, long expiresAt, @Nullable Publisher publisher) {
        write(
                "a retained message",
                "",
                () -> maps.retained()
                        .put(topic, MessageRecords.retained(qos, payload, properties, expiresAt, publisher)));
    }

    @Override
    public void retainedCleared(String topic) {
        write("the removal of a retained message", "", () -> maps.retained().remove(topic));
    }

    @Override
    public long owe(
            String clientId,
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            byte[] properties,
            long expiresAt) {
        long key = nextKey.getAndIncrement();
        try {
            maps.owed()
                    .put(
                            ClientKey.numbered(clientId, key),
                            MessageRecords.owed(topic, qos, retain, payload, properties, expiresAt));
            committer.changed();
        } catch (RuntimeException e) {
            failed("a message owed", clientId, e);
        }
        return key;
    }

    @Override
    public void sent(String clientId, long key, int packetId) {
        write("a packet id", clientId, () -> maps.packetIds().put(ClientKey.numbered(clientId, key), (long) packetId));
    }

    @Override
    public void releaseOwed(String clientId, long key, int packetId) {
        write("a PUBREL owed", clientId, () -> {
            ClientKey owed = ClientKey.numbered(clientId, key);
            // One commit holds all three: the message and the PUBREL are never both owed, nor neither.
            maps.releases().put(owed, (long) packetId);
            maps.owed().remove(owed);
            maps.packetIds().remove(owed);
        });
    }

    @Override
    public void willDelayed(
            String clientId,
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            byte[] properties,
            long expiresAt,
            long dueAt) {
        write(
                "a delayed will",
                clientId,
                () -> maps.delayedWills()
                        .put(
                                clientId,
                                MessageRecords.delayedWill(dueAt, topic, qos, retain, payload, properties, expiresAt)));
    }

    @Override
    public void willCleared(String clientId) {
        write("the end of a delayed will", clientId, () -> maps.delayedWills().remove(clientId));
    }

    @Override
    public void forget(String clientId, long key) {
        try {
            ClientKey owed = ClientKey.numbered(clientId, key);
            boolean removed = maps.owed().remove(owed) != null;
            removed |= maps.releases().remove(owed) != null;
            if (maps.packetIds().remove(owed) != null || removed) {
                committer.changed();
            }
        } catch (RuntimeException e) {
            failed("the end of a message owed", clientId, e);
        }
    }

    @Override
    public void qos2Received(String clientId, int packetId, long fingerprint) {
        write(
                "a QoS 2 receipt",
                clientId,
                () -> maps.qos2Received().put(ClientKey.numbered(clientId, packetId), fingerprint));
    }

    @Override
    public void qos2Released(String clientId, int packetId) {
        write("a QoS 2 release", clientId, () -> maps.qos2Received().remove(ClientKey.numbered(clientId, packetId)));
    }

    private void write(String what, String clientId, Runnable change) {
        try {
            change.run();
            committer.changed();
        } catch (RuntimeException e) {
            failed(what, clientId, e);
        }
    }

    private void failed(String what, String clientId, RuntimeException e) {
        if (clientId.isEmpty()) {
            LOG.error("Storing {} failed: {}", what, e.toString());
        } else {
            LOG.error("Storing {} for {} failed: {}", what, clientId, e.toString());
        }
        committer.failed(e);
    }

    @Override
    public CompletableFuture<Void> saved() {
        return committer.saved();
    }

    /** The file, for tests that break it. */
    MVStore mvStore() {
        return mvStore;
    }

    /** Stops as a {@code kill -9} would: nothing more is saved. For tests of what a crash leaves. */
    void closeWithoutSaving() {
        committer.abandon();
        mvStore.closeImmediately();
    }

    @Override
    public void close() {
        try {
            committer.close();
        } catch (RuntimeException e) {
            LOG.error("Final save of the engine store failed: {}", e.toString());
        }
        if (mvStore.isClosed()) {
            return;
        }
        try {
            LOG.info(
                    "Store closed: {} KiB written since it was opened, file {} KiB.",
                    mvStore.getFileStore().getWriteBytes() / 1024,
                    mvStore.getFileStore().size() / 1024);
            mvStore.close();
        } catch (RuntimeException e) {
            LOG.error("Closing the engine store failed: {}", e.toString());
            mvStore.closeImmediately();
        }
    }
}
