package dev.drawbridge.broker.engine.retained;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.engine.store.StoreSnapshot;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The retained message of every topic (MQTT 3.1.1 section 3.3.1.3), in memory and in the store: a PUBLISH with RETAIN=1
 * replaces it, an empty one clears it, at every QoS. Readers may run on any thread while a writer replaces a message.
 */
public final class RetainedMessages {

    private final RetainedTree<PublishedMessage> tree = new RetainedTree<>();
    private final EngineStore store;

    public RetainedMessages(EngineStore store) {
        this.store = store;
    }

    /** Keeps (or, with an empty payload, clears) a message published with RETAIN=1; takes its own reference. */
    public void publish(PublishedMessage message) {
        PublishedMessage previous;
        // One writer at a time, so that the store keeps the same last message per topic as the tree does.
        synchronized (this) {
            previous = replace(message);
        }
        if (previous != null) {
            previous.release();
        }
    }

    private @Nullable PublishedMessage replace(PublishedMessage message) {
        PublishedMessage previous;
        if (message.payloadSize() == 0) {
            previous = tree.remove(message.topic());
            store.retainedCleared(message.topic());
        } else {
            message.retain();
            previous = tree.put(message.topic(), message);
            store.retained(
                    message.topic(),
                    message.qos(),
                    message.payload(),
                    message.properties(),
                    message.expiresAt(),
                    message.publisher());
        }
        return previous;
    }

    /** Runs {@code step} while no retained message can be stored, replaced or cleared (it may publish one itself). */
    public void whileUnchanged(Runnable step) {
        synchronized (this) {
            step.run();
        }
    }

    /**
     * The retained messages whose topics match a filter, each as a reference the caller must release: a snapshot, so
     * the caller may take its time.
     */
    public List<PublishedMessage> matching(String filter) {
        List<PublishedMessage> found = new ArrayList<>();
        long now = System.currentTimeMillis();
        tree.forEachMatching(filter, (topic, message) -> {
            if (message.expired(now)) {
                return; // its message expiry interval has passed (MQTT 5): never delivered again
            }
            try {
                found.add((PublishedMessage) message.retain());
            } catch (IllegalReferenceCountException e) {
                // Replaced and freed meanwhile: the newer message reaches the subscriber as a live delivery.
            }
        });
        return found;
    }

    /**
     * Copies of the retained messages whose topics match a filter ({@code $} topics only for a filter that names its
     * first level), leaving out expired ones and those {@code visible} refuses; each with at most {@code previewBytes}
     * of its payload.
     */
    public List<RetainedCopy> copies(String filter, int previewBytes, Predicate<PublishedMessage> visible) {
        List<PublishedMessage> found = matching(filter);
        List<RetainedCopy> copies = new ArrayList<>(found.size());
        try {
            for (PublishedMessage m : found) {
                if (!visible.test(m)) {
                    continue;
                }
                int size = m.payloadSize();
                byte[] start = new byte[Math.min(size, previewBytes)];
                m.payload().getBytes(m.payload().readerIndex(), start);
                copies.add(new RetainedCopy(m.topic(), m.qos(), size, start, m.properties()));
            }
        } finally {
            found.forEach(PublishedMessage::release);
        }
        return copies;
    }

    public int size() {
        return tree.size();
    }

    /** Loads what a previous run stored. */
    public void restore(List<StoreSnapshot.StoredRetained> stored) {
        long now = System.currentTimeMillis();
        for (StoreSnapshot.StoredRetained r : stored) {
            if (r.expiresAt() != 0 && now >= r.expiresAt()) {
                store.retainedCleared(r.topic());
                continue;
            }
            Publisher publisher = r.publisher();
            PublishedMessage message = PublishedMessage.of(
                    r.topic(),
                    r.qos(),
                    true,
                    Unpooled.wrappedBuffer(r.payload()),
                    publisher == null ? null : publisher.clientId(),
                    r.properties(),
                    r.expiresAt(),
                    publisher);
            PublishedMessage previous = tree.put(r.topic(), message);
            if (previous != null) {
                previous.release();
            }
        }
    }

    /** Frees the buffers at a stop; the store keeps them. */
    public void freeAtStop() {
        List<String> topics = new ArrayList<>();
        tree.forEach((topic, message) -> topics.add(topic));
        for (String topic : topics) {
            PublishedMessage removed = tree.remove(topic);
            if (removed != null) {
                removed.release();
            }
        }
    }
}
