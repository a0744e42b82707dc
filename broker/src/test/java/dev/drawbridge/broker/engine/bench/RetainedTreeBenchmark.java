package dev.drawbridge.broker.engine.bench;

import dev.drawbridge.broker.engine.retained.RetainedTree;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Home Assistant's subscribe to {@code homeassistant/#} costs: 12,000 retained discovery topics
 * ({@code homeassistant/<component>/<node>/<object>/config}) walked in full, next to 2,000 retained device states
 * outside the filter. Run by hand (never by the build):
 *
 * <pre>
 * mvn -q -o -pl broker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp broker/target/test-classes:broker/target/classes:$(cat broker/target/cp.txt) org.openjdk.jmh.Main \
 *     RetainedTreeBenchmark -wi 2 -i 3 -f 1 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RetainedTreeBenchmark {

    static final int DISCOVERY_TOPICS = 12_000;
    private static final String[] COMPONENTS = {"sensor", "binary_sensor", "switch", "light", "cover", "climate"};

    private RetainedTree<byte[]> tree;
    private final Counter counter = new Counter();

    static final class Counter implements BiConsumer<String, byte[]> {
        long bytes;

        @Override
        public void accept(String topic, byte[] message) {
            bytes += message.length + topic.length();
        }
    }

    @Setup
    public void setUp() {
        tree = new RetainedTree<>();
        for (int i = 0; i < DISCOVERY_TOPICS; i++) {
            String topic = "homeassistant/" + COMPONENTS[i % COMPONENTS.length] + "/node" + (i / 60) + "/object" + i
                    + "/config";
            tree.put(topic, new byte[200]);
        }
        for (int i = 0; i < 2_000; i++) {
            tree.put("home/room" + (i % 50) + "/dev" + i + "/state", new byte[8]);
        }
    }

    /** Every one of the 12,000 discovery messages, as a new Home Assistant subscription gets them. */
    @Benchmark
    public long forEachMatchingHomeAssistant() {
        counter.bytes = 0;
        tree.forEachMatching("homeassistant/#", counter);
        return counter.bytes;
    }

    /** The sensors only: {@code +} levels in the middle of the filter. */
    @Benchmark
    public long forEachMatchingSensorConfigs() {
        counter.bytes = 0;
        tree.forEachMatching("homeassistant/sensor/+/+/config", counter);
        return counter.bytes;
    }
}
