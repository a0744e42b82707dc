package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import io.moquette.broker.DeliveryLog;
import io.moquette.broker.Repositories;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's store and the {@link DeliveryLog} the post office reports to. Either durable (one MVStore file in the
 * store directory) or in memory ({@code persistence false}: nothing survives a stop, no acknowledgement waits).
 */
public final class MessageStore implements DeliveryLog, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
    /** The file inside the store directory. */
    static final String FILE_NAME = "drawbridge.mv";

    /** When an acknowledgement may leave. */
    public enum Durability {
        /** After everything it depends on is written and synced to disk. */
        DURABLE,
        /** At once; the store is saved every {@code autosave_interval}, as Mosquitto does. */
        AUTOSAVE
    }

    private final @Nullable MVStore mvStore;
    private final StoreCommitter committer;
    private final Repositories repositories;
    private final @Nullable PendingDeliveries pending;
    private final Qos2Receipts receipts;

    private MessageStore(
            @Nullable MVStore mvStore,
            StoreCommitter committer,
            Repositories repositories,
            @Nullable PendingDeliveries pending,
            Qos2Receipts receipts) {
        this.mvStore = mvStore;
        this.committer = committer;
        this.repositories = repositories;
        this.pending = pending;
        this.receipts = receipts;
    }

    /** A store that forgets everything when the broker stops. */
    public static MessageStore inMemory() {
        StoreCommitter committer = StoreCommitter.none();
        return new MessageStore(null, committer, Repositories.inMemory(), null, new Qos2Receipts(null, committer));
    }

    /** Opens (or creates) the store in this directory and reads back what a previous run left. */
    public static MessageStore open(Path directory, Durability durability, Duration autosaveInterval)
            throws IOException {
        Files.createDirectories(directory);
        MVStore mvStore;
        try {
            mvStore = new MVStore.Builder()
                    .fileName(directory.resolve(FILE_NAME).toString())
                    .autoCommitDisabled()
                    .open();
            if (durability == Durability.DURABLE) {
                // Every commit is synced, so a free chunk may be reused at once (the default waits 45 s for the
                // disk's own buffers): the file then stays near the size of what is stored.
                mvStore.setRetentionTime(0);
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot open " + directory.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        try {
            StoreCommitter committer = new StoreCommitter(mvStore, durability == Durability.DURABLE, autosaveInterval);
            MVMap<String, Boolean> queueNames = mvStore.openMap("drawbridge_queues");
            StoredSessions sessions = new StoredSessions(mvStore, committer, Set.copyOf(queueNames.keySet()));
            Set<String> persistent = reconcile(queueNames, sessions.clientIds(), committer);
            PendingDeliveries pending = new PendingDeliveries(mvStore, committer);
            Map<String, List<PendingDeliveries.Recovered>> owed = pending.recover(persistent);
            Qos2Receipts receipts = new Qos2Receipts(mvStore.openMap("drawbridge_qos2"), committer);
            StoredQueues queues = new StoredQueues(queueNames, committer, owed, clientId -> {
                pending.purge(clientId);
                receipts.sessionEnded(clientId);
            });
            Repositories repositories = new Repositories(
                    sessions,
                    new StoredSubscriptions(mvStore, committer, queueNames::containsKey),
                    queues,
                    new StoredRetained(mvStore, committer));
            LOG.info(
                    "Store {}: {} persistent sessions, {} messages owed to them; acknowledgements {}.",
                    directory.resolve(FILE_NAME),
                    persistent.size(),
                    pending.size(),
                    durability == Durability.DURABLE
                            ? "wait until stored"
                            : autosaveInterval.isZero()
                                    ? "do not wait, saved when the broker stops"
                                    : "do not wait, saved every " + autosaveInterval.toSeconds() + " s");
            return new MessageStore(mvStore, committer, repositories, pending, receipts);
        } catch (RuntimeException e) {
            mvStore.closeImmediately();
            throw new IOException("cannot read " + directory.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A queue without a session record (a crash between the two writes of a CONNECT) is dropped; the persistent
     * clients are those with both.
     */
    private static Set<String> reconcile(
            MVMap<String, Boolean> queueNames, Set<String> withSession, StoreCommitter committer) {
        Set<String> persistent = new HashSet<>();
        for (String name : List.copyOf(queueNames.keySet())) {
            if (withSession.contains(name)) {
                persistent.add(name);
            } else {
                queueNames.remove(name);
                committer.changed();
            }
        }
        return persistent;
    }

    public Repositories repositories() {
        return repositories;
    }

    /** A handler for one connection's pipeline: holds acknowledgements until stored and tracks deliveries. */
    public ChannelHandler newChannelHandler() {
        return new StoreChannelHandler(this);
    }

    @Override
    public void queued(String clientId, String topic, int qos, ByteBuf payload) {
        PendingDeliveries owed = pending;
        if (owed == null) {
            return;
        }
        try {
            owed.queued(clientId, topic, qos, payload);
        } catch (RuntimeException e) {
            // Never into a session loop; the acknowledgement still waits for a save, which then fails too.
            LOG.error("Storing a message for {} failed: {}", clientId, e.toString());
        }
    }

    @Override
    public boolean firstQos2Receipt(String clientId, boolean persistentSession, int packetId) {
        try {
            return receipts.first(clientId, persistentSession, packetId);
        } catch (RuntimeException e) {
            LOG.error("Storing a QoS 2 receipt for {} failed: {}", clientId, e.toString());
            return true;
        }
    }

    @Override
    public void qos2Released(String clientId, int packetId) {
        try {
            receipts.released(clientId, packetId);
        } catch (RuntimeException e) {
            LOG.warn("Releasing a QoS 2 receipt for {} failed: {}", clientId, e.toString());
        }
    }

    /** Completes when every change made so far is durable (at once unless the store is durable). */
    CompletableFuture<Void> saved() {
        return committer.saved();
    }

    void sent(String clientId, String topic, ByteBuf payload, int packetId, boolean resend) {
        PendingDeliveries owed = pending;
        if (owed != null) {
            owed.sent(clientId, topic, payload, packetId, resend);
        }
    }

    void acknowledged(String clientId, int packetId) {
        PendingDeliveries owed = pending;
        if (owed != null) {
            owed.acknowledged(clientId, packetId);
        }
    }

    void connectionEnded(String clientId) {
        receipts.connectionEnded(clientId);
    }

    /** A message queued for a client was dropped because its queue was full. */
    public void dropped(String clientId, String topic, ByteBuf payload) {
        PendingDeliveries owed = pending;
        if (owed != null) {
            owed.dropped(clientId, topic, payload);
        }
    }

    /** Stops as a {@code kill -9} would: nothing more is saved. For tests of what a crash leaves. */
    void closeWithoutSaving() {
        committer.abandon();
        MVStore store = mvStore;
        if (store != null) {
            store.closeImmediately();
        }
    }

    /** Saves what is left and closes the file; the session loops have stopped. */
    @Override
    public void close() {
        try {
            committer.close();
        } catch (RuntimeException e) {
            LOG.error("Final save of the message store failed: {}", e.toString());
        }
        MVStore store = mvStore;
        if (store != null) {
            LOG.info(
                    "Store closed: {} KiB written since it was opened, file {} KiB.",
                    store.getFileStore().getWriteBytes() / 1024,
                    store.getFileStore().size() / 1024);
            store.close();
        }
    }
}
