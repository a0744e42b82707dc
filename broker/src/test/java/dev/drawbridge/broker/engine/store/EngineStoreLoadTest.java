package dev.drawbridge.broker.engine.store;

import static dev.drawbridge.broker.engine.store.EngineStoreFileTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers at once, and the file size under a long run of messages owed and forgotten. */
class EngineStoreLoadTest {

    @TempDir
    Path dir;

    @Test
    void writersOnSeveralThreadsLoseNothingTheyWaitedFor() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        Map<String, List<Long>> kept = new ConcurrentHashMap<>();
        EngineStoreFile store = EngineStoreFile.open(dir, true, Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // Two threads per client: keys must still increase in the order of the calls.
                String client = "client-" + (t % 2);
                store.sessionOpened(client, 0xFFFF_FFFFL);
                done.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        long key = store.owe(client, "t/" + i, 1, false, text("m" + i), new byte[0], 0);
                        if (i % 2 == 0) {
                            store.sent(client, key, 1 + i % 65535);
                            store.forget(client, key);
                        } else {
                            mine.add(key);
                        }
                        if (i % 100 == 99) {
                            store.saved().get(10, TimeUnit.SECONDS);
                        }
                    }
                    synchronized (kept) {
                        kept.computeIfAbsent(client, c -> new ArrayList<>()).addAll(mine);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        store.closeWithoutSaving();

        EngineStoreFile again = EngineStoreFile.open(dir, true, Duration.ZERO);
        try {
            List<StoredSession> sessions = again.recover().sessions();
            assertThat(sessions).extracting(StoredSession::clientId).containsExactly("client-0", "client-1");
            for (StoredSession s : sessions) {
                List<Long> keys = s.owed().stream().map(StoredMessage::key).toList();
                assertThat(keys).isSorted().doesNotHaveDuplicates();
                assertThat(keys).containsExactlyInAnyOrderElementsOf(kept.get(s.clientId()));
                assertThat(s.owed()).allSatisfy(m -> assertThat(m.packetId()).isZero());
            }
        } finally {
            again.close();
        }
    }

    @Test
    void theFileStaysSmallAfterAHundredThousandMessagesOwedAndForgotten() throws Exception {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[200]);
        long largest = 0;
        try (EngineStoreFile store = EngineStoreFile.open(dir, true, Duration.ZERO)) {
            store.sessionOpened("garage", 0xFFFF_FFFFL);
            // A window of 100 messages in flight, each committed while owed: the live data stays about 25 KB.
            ArrayDeque<Long> inFlight = new ArrayDeque<>();
            for (int i = 1; i <= 100_000; i++) {
                long key = store.owe("garage", "door/cmd", 1, false, payload, new byte[0], 0);
                store.sent("garage", key, i % 65535 + 1);
                inFlight.add(key);
                if (inFlight.size() > 100) {
                    store.forget("garage", inFlight.remove());
                }
                if (i % 50 == 0) {
                    store.saved().get(10, TimeUnit.SECONDS);
                    largest = Math.max(largest, Files.size(dir.resolve(EngineStoreFile.FILE_NAME)));
                }
            }
            inFlight.forEach(key -> store.forget("garage", key));
            // Each message reached the file (over 20 MB went through it).
            assertThat(store.mvStore().getFileStore().getWriteBytes()).isGreaterThan(20L << 20);
        }
        assertThat(largest).as("largest file size while running").isLessThan(4L << 20);
        assertThat(Files.size(dir.resolve(EngineStoreFile.FILE_NAME)))
                .as("file size after close")
                .isLessThan(1L << 20);
    }
}
