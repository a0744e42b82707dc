package dev.drawbridge.broker.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.store.EngineStores;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The read-only view of the sessions the console lists: copies of what each session holds when asked. */
class SessionSnapshotTest {

    /** A connection whose socket takes nothing now: what is offered stays queued. */
    private static final class StalledLink implements ClientLink {
        @Override
        public Executor executor() {
            return task -> {};
        }

        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void write(Object packet) {}

        @Override
        public void writeWhenSaved(Object packet, CompletableFuture<Void> saved) {}

        @Override
        public void flush() {}

        @Override
        public boolean isWritable() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public void keepAlive(int seconds) {}

        @Override
        public int maxQos() {
            return 2;
        }

        @Override
        public String mountPoint() {
            return "";
        }

        @Override
        public String remote() {
            return "127.0.0.1:50000";
        }
    }

    private final SessionRegistry registry = new SessionRegistry(
            new SubscriptionIndex<>(),
            new SessionContext(
                    EngineStores.inMemory(),
                    (clientId, topic, qos, retain) -> true,
                    new AtomicReference<>(new QueueLimits(20, 1000, 0)),
                    new LongAdder()));

    @Test
    void aConnectedSessionShowsItsSubscriptionsAndQueueAndAnAwayOneNoConnection() {
        Session garage = registry.open("garage", true, 0, ClientProtocol.MQTT_311, new StalledLink())
                .session();
        registry.subscribe(garage, "door/#", SubscriptionOptions.qos(1));
        registry.subscribe(garage, "light/+", SubscriptionOptions.qos(0));
        for (int i = 0; i < 3; i++) {
            PublishedMessage m =
                    PublishedMessage.of("door/state", 1, false, Unpooled.wrappedBuffer(new byte[] {1}), "x");
            assertThat(garage.offer(m, 1, false, false)).isTrue();
            m.release();
        }
        StalledLink phoneLink = new StalledLink();
        Session phone = registry.open("phone", false, Session.NEVER_EXPIRES, ClientProtocol.MQTT_311, phoneLink)
                .session();
        registry.closed(phone, phoneLink);

        List<SessionSnapshot> all = registry.snapshots();

        assertThat(all).extracting(SessionSnapshot::clientId).containsExactly("garage", "phone");
        SessionSnapshot g = all.get(0);
        assertThat(g.connected()).isTrue();
        assertThat(g.persistent()).isFalse();
        assertThat(g.subscriptions()).isEqualTo(2);
        assertThat(g.queued()).as("offered while the socket takes nothing").isEqualTo(3);
        assertThat(g.inflight()).isZero();
        SessionSnapshot p = all.get(1);
        assertThat(p.connected())
                .as("its client went away; the persistent session waits")
                .isFalse();
        assertThat(p.persistent()).isTrue();

        registry.subscribe(garage, "extra", SubscriptionOptions.qos(0));
        assertThat(g.subscriptions())
                .as("a snapshot is a copy, not a live view")
                .isEqualTo(2);
        assertThat(registry.snapshots().get(0).subscriptions()).isEqualTo(3);
    }
}
