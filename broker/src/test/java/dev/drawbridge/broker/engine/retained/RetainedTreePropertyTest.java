package dev.drawbridge.broker.engine.retained;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.topic.ReferenceMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random put and remove sequences over a small alphabet, then every filter walked in the tree and compared with
 * {@link ReferenceMatcher} over a plain map of topic to message.
 */
class RetainedTreePropertyTest {

    record Op(boolean put, String topic, int message) {}

    @Property(tries = 300)
    void forEachMatchingEqualsTheReference(
            @ForAll("operations") List<Op> ops, @ForAll("filters") List<String> filters) {
        RetainedTree<Integer> tree = new RetainedTree<>();
        Map<String, Integer> model = new HashMap<>();
        for (Op op : ops) {
            if (op.put()) {
                assertThat(tree.put(op.topic(), op.message())).isEqualTo(model.put(op.topic(), op.message()));
            } else {
                assertThat(tree.remove(op.topic())).isEqualTo(model.remove(op.topic()));
            }
            assertThat(tree.size()).isEqualTo(model.size());
        }
        for (Op op : ops) {
            assertThat(tree.get(op.topic())).isEqualTo(model.get(op.topic()));
        }
        for (String filter : filters) {
            List<String> seen = new ArrayList<>();
            tree.forEachMatching(filter, (topic, message) -> seen.add(topic + "=" + message));
            List<String> expected = model.entrySet().stream()
                    .filter(e -> ReferenceMatcher.matches(filter, e.getKey()))
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .toList();
            assertThat(seen).as("filter %s", filter).containsExactlyInAnyOrderElementsOf(expected);
        }
        for (String topic : List.copyOf(model.keySet())) {
            assertThat(tree.remove(topic)).isNotNull();
        }
        assertThat(tree.size()).isZero();
        assertThat(tree.nodeCount()).isZero();
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 9).map(n -> n < 6),
                        levels(Arbitraries.of("a", "b", "$s", "")),
                        Arbitraries.integers().between(0, 99))
                .as(Op::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<String>> filters() {
        Arbitrary<String> plain = levels(Arbitraries.of("a", "b", "$s", "", "+"));
        return Arbitraries.frequencyOf(
                        Tuple.of(6, plain), Tuple.of(3, plain.map(f -> f + "/#")), Tuple.of(1, Arbitraries.just("#")))
                .list()
                .ofMinSize(1)
                .ofMaxSize(15);
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
