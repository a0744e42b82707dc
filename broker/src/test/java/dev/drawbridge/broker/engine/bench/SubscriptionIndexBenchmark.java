package dev.drawbridge.broker.engine.bench;

import dev.drawbridge.broker.engine.subscription.SharedGroup;
import dev.drawbridge.broker.engine.subscription.SubscriberVisitor;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import java.util.SplittableRandom;
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
 * The subscription index with a home-automation mix: per device an exact {@code home/<room>/<device>/state} and
 * {@code .../set} filter (90% of the subscriptions); then {@code +} and {@code #} watchers per room and per device, a
 * {@code $share} dashboard group per room, three {@code home/+/+/state} dashboards, {@code homeassistant/#}, six {@code
 * $SYS} monitors and one {@code #} logger. One room per 200 subscriptions, about 90 devices each. Topics: device states
 * (60%; each matches some 15 to 30 filters), sets, unknown devices and a {@code $SYS} counter. Run by hand (never by
 * the build):
 *
 * <pre>
 * mvn -q -o -pl broker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp broker/target/test-classes:broker/target/classes:$(cat broker/target/cp.txt) org.openjdk.jmh.Main \
 *     SubscriptionIndexBenchmark -wi 2 -i 3 -f 1 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SubscriptionIndexBenchmark {

    private static final int TOPICS = 4_096;

    @Param({"10000", "100000"})
    public int subscriptions;

    private SubscriptionIndex<Object> index;
    private String[] topics;
    private String[] churnFilters;
    private Object churner;
    private int next;
    private final Counter counter = new Counter();

    /** Counts what a match visits, so the JIT cannot drop the visits; allocates nothing. */
    static final class Counter implements SubscriberVisitor<Object> {
        int visits;

        @Override
        public void subscriber(Object subscriber, SubscriptionOptions options) {
            visits += options.qos() + 1;
        }

        @Override
        public void sharedGroup(SharedGroup<Object> group) {
            visits += group.size();
        }
    }

    @Setup
    public void setUp() {
        index = new SubscriptionIndex<>();
        SplittableRandom random = new SplittableRandom(42);
        // Rooms grow with the size, so a room keeps about 90 devices and a topic matches about as many filters.
        int rooms = subscriptions / 200;
        int devices = subscriptions * 9 / 10 / 2; // two exact filters per device
        int perRoom = devices / rooms;
        for (int d = 0; d < devices; d++) {
            Object session = new Object(); // one session per device
            String device = "home/room" + (d % rooms) + "/dev" + (d / rooms);
            index.subscribe(device + "/state", session, SubscriptionOptions.qos(0));
            index.subscribe(device + "/set", session, SubscriptionOptions.qos(1));
        }
        String[] fixed = {
            "home/+/+/state", "home/+/+/state", "home/+/+/state", "homeassistant/#", "homeassistant/#", "$SYS/#",
            "$SYS/#", "$SYS/#", "$SYS/broker/+", "$SYS/broker/+", "$SYS/broker/+", "#"
        };
        for (String filter : fixed) {
            index.subscribe(filter, new Object(), SubscriptionOptions.qos(0));
        }
        int rest = subscriptions - 2 * devices - fixed.length;
        for (int i = 0; i < rest; i++) {
            String room = "home/room" + random.nextInt(rooms);
            String device = "/dev" + random.nextInt(perRoom);
            String filter = switch (i % 10) {
                case 0, 1, 2, 3 -> room + "/+/state";
                case 4, 5 -> room + device + "/#";
                case 6 -> "home/+" + device + "/state";
                case 7 -> room + "/#";
                case 8 -> "$share/dashboards/" + room + "/+/state";
                default -> room + "/+/set";
            };
            index.subscribe(filter, new Object(), SubscriptionOptions.qos(i % 3));
        }

        topics = new String[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            String device = "home/room" + random.nextInt(rooms) + "/dev" + random.nextInt(perRoom);
            topics[i] = switch (random.nextInt(10)) {
                case 0, 1, 2, 3, 4, 5 -> device + "/state";
                case 6, 7 -> device + "/set";
                case 8 -> "home/room" + random.nextInt(rooms) + "/unknown" + i + "/state";
                default -> "$SYS/broker/messages/received";
            };
        }
        churner = new Object();
        churnFilters = new String[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            String device = "home/room" + random.nextInt(rooms) + "/dev" + random.nextInt(perRoom);
            churnFilters[i] = i % 2 == 0 ? device + "/availability" : device + "/+";
        }
    }

    @Benchmark
    public int match() {
        String topic = topics[next];
        next = (next + 1) & (TOPICS - 1);
        counter.visits = 0;
        index.match(topic, counter);
        return counter.visits;
    }

    /** A client subscribing and unsubscribing one filter below an existing device: one node made, then pruned. */
    @Benchmark
    public boolean subscribeUnsubscribe() {
        String filter = churnFilters[next];
        next = (next + 1) & (TOPICS - 1);
        index.subscribe(filter, churner, SubscriptionOptions.qos(1));
        return index.unsubscribe(filter, churner);
    }
}
