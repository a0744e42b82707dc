package dev.drawbridge.broker.engine.bench;

import dev.drawbridge.broker.engine.topic.LevelTable;
import dev.drawbridge.broker.engine.topic.TopicLevels;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Why the trees use {@link LevelTable}: one child lookup by the middle level of {@code home/room7/dev42/state},
 * probed with the region of the topic, against the obvious alternative, a {@link ConcurrentHashMap} keyed by the
 * level's substring. Run by hand like {@link SubscriptionIndexBenchmark}, with {@code LevelLookupBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LevelLookupBenchmark {

    private static final int TOPICS = 1_024;

    record Child(String level) implements LevelTable.Keyed {}

    @Param({"90", "5000"})
    public int children;

    private final LevelTable<Child> table = new LevelTable<>();
    private final Map<String, Child> map = new ConcurrentHashMap<>();
    private String[] topics;
    private int next;

    @Setup
    public void setUp() {
        Map<String, Child> all = new HashMap<>();
        for (int i = 0; i < children; i++) {
            Child child = new Child("dev" + i);
            table.put(child);
            all.put(child.level(), child);
        }
        map.putAll(all);
        SplittableRandom random = new SplittableRandom(7);
        topics = new String[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            topics[i] = "home/room7/dev" + random.nextInt(children) + "/state";
        }
    }

    @Benchmark
    public Child levelTableRegion() {
        String topic = topics[next];
        next = (next + 1) & (TOPICS - 1);
        int start = TopicLevels.end(topic, TopicLevels.end(topic, 0) + 1) + 1;
        return table.get(topic, start, TopicLevels.end(topic, start));
    }

    @Benchmark
    public Child concurrentHashMapSubstring() {
        String topic = topics[next];
        next = (next + 1) & (TOPICS - 1);
        int start = TopicLevels.end(topic, TopicLevels.end(topic, 0) + 1) + 1;
        return map.get(topic.substring(start, TopicLevels.end(topic, start)));
    }
}
