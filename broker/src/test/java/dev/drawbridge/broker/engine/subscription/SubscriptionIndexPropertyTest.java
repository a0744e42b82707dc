package dev.drawbridge.broker.engine.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.topic.ReferenceMatcher;
import dev.drawbridge.broker.engine.topic.SharedFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random subscribe and unsubscribe sequences over a small alphabet (so that filters collide and overlap), then every
 * topic matched against the index and against {@link ReferenceMatcher} over a plain map of what is subscribed.
 */
class SubscriptionIndexPropertyTest {

    static final String[] SUBSCRIBERS = {"c0", "c1", "c2"};

    record Op(boolean subscribe, String filter, int subscriber, int qos) {}

    /** What the model holds for one subscription. */
    record Held(String filter, String subscriber, int qos) {}

    @Property(tries = 300)
    void matchEqualsTheReference(@ForAll("operations") List<Op> ops, @ForAll("topics") List<String> topics) {
        SubscriptionIndex<String> index = new SubscriptionIndex<>();
        Map<String, Held> model = new LinkedHashMap<>(); // key: filter + " " + subscriber
        Map<String, Integer> filterIds = new HashMap<>();
        for (Op op : ops) {
            String subscriber = SUBSCRIBERS[op.subscriber()];
            String key = op.filter() + " " + subscriber;
            if (op.subscribe()) {
                int id = filterIds.computeIfAbsent(op.filter(), f -> filterIds.size() + 1);
                boolean isNew = index.subscribe(
                        op.filter(), subscriber, new SubscriptionOptions(op.qos(), false, false, 0, id));
                assertThat(isNew).isEqualTo(model.put(key, new Held(op.filter(), subscriber, op.qos())) == null);
            } else {
                assertThat(index.unsubscribe(op.filter(), subscriber)).isEqualTo(model.remove(key) != null);
            }
            assertThat(index.size()).isEqualTo(model.size());
        }
        for (String topic : topics) {
            assertThat(Recorder.match(index, topic))
                    .as("topic %s", topic)
                    .containsExactlyInAnyOrderElementsOf(expected(model, filterIds, topic));
        }
        for (Held held : List.copyOf(model.values())) {
            assertThat(index.unsubscribe(held.filter(), held.subscriber())).isTrue();
        }
        assertThat(index.size()).isZero();
        assertThat(index.nodeCount()).isZero();
    }

    static List<String> expected(Map<String, Held> model, Map<String, Integer> filterIds, String topic) {
        List<String> visits = new ArrayList<>();
        Map<String, List<String>> groups = new TreeMap<>();
        for (Held held : model.values()) {
            SharedFilter shared = SharedFilter.parse(held.filter());
            String plain = shared == null ? held.filter() : shared.filter();
            if (!ReferenceMatcher.matches(plain, topic)) {
                continue;
            }
            if (shared == null) {
                visits.add(Recorder.normal(held.subscriber(), filterIds.get(held.filter()), held.qos()));
            } else {
                groups.computeIfAbsent(shared.group() + "\n" + shared.filter(), g -> new ArrayList<>())
                        .add(held.subscriber() + ":" + held.qos());
            }
        }
        groups.forEach((groupAndFilter, members) -> {
            String[] parts = groupAndFilter.split("\n", 2);
            visits.add(Recorder.group(parts[0], parts[1], members));
        });
        return visits;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 9).map(n -> n < 6), // more subscribes than unsubscribes
                        filters(),
                        Arbitraries.integers().between(0, SUBSCRIBERS.length - 1),
                        Arbitraries.integers().between(0, 2))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<String>> topics() {
        return levels(Arbitraries.of("a", "b", "$s", "")).list().ofMinSize(1).ofMaxSize(15);
    }

    static Arbitrary<String> filters() {
        Arbitrary<String> plain = levels(Arbitraries.of("a", "b", "$s", "", "+"));
        Arbitrary<String> filter = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, plain),
                net.jqwik.api.Tuple.of(3, plain.map(f -> f + "/#")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("#")));
        return Combinators.combine(Arbitraries.of("", "", "", "", "$share/g/", "$share/h/"), filter)
                .as(String::concat);
    }

    static Arbitrary<String> levels(Arbitrary<String> level) {
        // a single empty level would be the empty string, which is neither a topic name nor a filter
        return level.list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(l -> String.join("/", l))
                .filter(s -> !s.isEmpty());
    }
}
