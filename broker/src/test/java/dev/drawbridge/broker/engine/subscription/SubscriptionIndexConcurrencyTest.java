package dev.drawbridge.broker.engine.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.topic.ReferenceMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two threads match while two others subscribe and unsubscribe. Stable subscriptions, which no writer touches, must be
 * seen by every match; nothing may throw; once the writers are done, every match equals the reference.
 */
class SubscriptionIndexConcurrencyTest {

    private static final String[] LEVELS = {"a", "b", "c", ""};
    private static final int WRITES_PER_WRITER = 30_000;

    @Test
    void matchesRacingSubscribesSeeEveryStableSubscriptionAndEndEqualToTheReference() throws InterruptedException {
        SubscriptionIndex<String> index = new SubscriptionIndex<>();
        List<String> stableFilters = List.of("a/b/c", "a/+/c", "a/#", "+/b/+", "#", "$share/g/a/+/c");
        for (String filter : stableFilters) {
            index.subscribe(filter, "stable", SubscriptionOptions.qos(1));
        }
        List<String> topics = new ArrayList<>();
        for (String x : LEVELS) {
            for (String y : LEVELS) {
                topics.add("a/" + x + "/" + y);
                topics.add(x + "/b/" + y);
            }
        }
        List<Set<String>> held = List.of(new HashSet<>(), new HashSet<>()); // each written by its writer only
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            String subscriber = "writer" + w;
            int seed = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        String filter = randomFilter(random);
                        if (random.nextBoolean()) {
                            index.subscribe(filter, subscriber, SubscriptionOptions.qos(0));
                            held.get(seed).add(filter);
                        } else {
                            index.unsubscribe(filter, subscriber);
                            held.get(seed).remove(filter);
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
                        for (String topic : topics) {
                            StableCounter counter = new StableCounter();
                            index.match(topic, counter);
                            long expected = stableFilters.stream()
                                    .filter(f -> ReferenceMatcher.matches(f.replace("$share/g/", ""), topic))
                                    .count();
                            if (counter.seen != expected) {
                                failures.add(new AssertionError(topic + ": saw " + counter.seen
                                        + " stable subscriptions, expected " + expected));
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

        // quiescent: every match equals the reference over the stable subscriptions and the writers' final sets
        for (String topic : topics) {
            List<String> expected = new ArrayList<>();
            for (String filter : stableFilters) {
                if (filter.startsWith("$share/")) {
                    if (ReferenceMatcher.matches(filter.substring("$share/g/".length()), topic)) {
                        expected.add(Recorder.group("g", filter.substring("$share/g/".length()), List.of("stable:1")));
                    }
                } else if (ReferenceMatcher.matches(filter, topic)) {
                    expected.add(Recorder.normal("stable", 0, 1));
                }
            }
            for (int w = 0; w < 2; w++) {
                for (String filter : held.get(w)) {
                    if (ReferenceMatcher.matches(filter, topic)) {
                        expected.add(Recorder.normal("writer" + w, 0, 0));
                    }
                }
            }
            assertThat(Recorder.match(index, topic)).as(topic).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(index.size())
                .isEqualTo(
                        stableFilters.size() + held.get(0).size() + held.get(1).size());
    }

    private static String randomFilter(SplittableRandom random) {
        List<String> filters = allFilters();
        return filters.get(random.nextInt(filters.size()));
    }

    private static List<String> allFilters() {
        List<String> filters = new ArrayList<>();
        for (String x : new String[] {"a", "b", "c", "", "+"}) {
            for (String y : new String[] {"a", "b", "c", "", "+", "#"}) {
                filters.add(x + "/" + y);
                filters.add("a/" + x + "/" + y);
            }
        }
        return filters;
    }

    private static final class StableCounter implements SubscriberVisitor<String> {
        int seen;

        @Override
        public void subscriber(String subscriber, SubscriptionOptions options) {
            if (subscriber.equals("stable")) {
                seen++;
            }
        }

        @Override
        public void sharedGroup(SharedGroup<String> group) {
            for (int i = 0; i < group.size(); i++) {
                if (group.member(i).equals("stable")) {
                    seen++;
                }
            }
        }
    }
}
