package dev.drawbridge.broker.engine.retained;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.topic.ReferenceMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two threads walk filters while two others put and remove under {@code w0/} and {@code w1/}. Stable messages under
 * {@code s/} must be seen by every walk and every get; nothing may throw; afterwards every walk equals the reference.
 */
class RetainedTreeConcurrencyTest {

    private static final String[] LEVELS = {"a", "b", ""};
    private static final int WRITES_PER_WRITER = 200_000;

    @Test
    void walksRacingWritesSeeEveryStableMessageAndEndEqualToTheReference() throws InterruptedException {
        RetainedTree<String> tree = new RetainedTree<>();
        List<String> stable = List.of("s/a/b", "s/a", "s//b", "s/b/a");
        stable.forEach(topic -> tree.put(topic, "stable"));
        List<String> filters = List.of("#", "s/#", "+/a/#", "+/+/b", "w0/#", "+/+");
        List<Map<String, String>> held = List.of(new HashMap<>(), new HashMap<>()); // each written by its writer only
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    SplittableRandom random = new SplittableRandom(writer);
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        String topic = "w" + writer + "/" + LEVELS[random.nextInt(LEVELS.length)] + "/"
                                + LEVELS[random.nextInt(LEVELS.length)];
                        if (random.nextBoolean()) {
                            tree.put(topic, "m" + i);
                            held.get(writer).put(topic, "m" + i);
                        } else {
                            tree.remove(topic);
                            held.get(writer).remove(topic);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    while (writing.get()) {
                        for (String filter : filters) {
                            List<String> seen = new ArrayList<>();
                            tree.forEachMatching(filter, (topic, message) -> seen.add(topic));
                            for (String topic : stable) {
                                if (ReferenceMatcher.matches(filter, topic) && !seen.contains(topic)) {
                                    failures.add(new AssertionError(filter + " missed " + topic));
                                }
                            }
                        }
                        for (String topic : stable) {
                            if (!"stable".equals(tree.get(topic))) {
                                failures.add(new AssertionError("get missed " + topic));
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread writer : threads.subList(0, 2)) {
            writer.join();
        }
        writing.set(false);
        for (Thread reader : threads.subList(2, 4)) {
            reader.join();
        }
        assertThat(failures).isEmpty();

        Map<String, String> all = new HashMap<>(held.get(0));
        all.putAll(held.get(1));
        stable.forEach(topic -> all.put(topic, "stable"));
        assertThat(tree.size()).isEqualTo(all.size());
        for (String filter : filters) {
            List<String> seen = new ArrayList<>();
            tree.forEachMatching(filter, (topic, message) -> seen.add(topic + "=" + message));
            List<String> expected = all.entrySet().stream()
                    .filter(e -> ReferenceMatcher.matches(filter, e.getKey()))
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .toList();
            assertThat(seen).as(filter).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
