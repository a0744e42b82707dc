package dev.drawbridge.broker.engine.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.drawbridge.broker.engine.topic.MatchCases;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetainedTreeTest {

    private final RetainedTree<String> tree = new RetainedTree<>();

    static Stream<MatchCases.Case> matchCases() {
        return MatchCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void forEachMatchingFollowsTheTable(MatchCases.Case row) {
        tree.put(row.topic(), "m");
        tree.put("unrelated/x", "n"); // a neighbour on another branch; "#" rows see it, so it is filtered out below

        List<String> seen = matching(row.plainFilter());
        seen.remove("unrelated/x=n");

        assertThat(seen).isEqualTo(row.matches() ? List.of(row.topic() + "=m") : List.of());
    }

    @Test
    void putReplacesAndReturnsThePreviousMessage() {
        assertThat(tree.put("a/b", "1")).isNull();
        assertThat(tree.put("a/b", "2")).isEqualTo("1");
        assertThat(tree.get("a/b")).isEqualTo("2");
        assertThat(tree.get("a")).isNull();
        assertThat(tree.get("a/b/c")).isNull();
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void removeReturnsTheMessageAndPrunesEmptyNodes() {
        tree.put("a/b/c", "abc");
        tree.put("a", "a");
        assertThat(tree.nodeCount()).isEqualTo(3);

        assertThat(tree.remove("a/b")).as("a node without a message").isNull();
        assertThat(tree.remove("a/b/c")).isEqualTo("abc");
        assertThat(tree.remove("a/b/c")).isNull();
        assertThat(tree.nodeCount()).as("a keeps its message").isEqualTo(1);
        assertThat(tree.remove("a")).isEqualTo("a");
        assertThat(tree.size()).isZero();
        assertThat(tree.nodeCount()).isZero();
    }

    @Test
    void wildcardsWalkTheWholeSubtreeButNotDollarTopicsAtTheRoot() {
        for (String topic : List.of("home/kitchen/lamp", "home/kitchen", "home/hall/lamp", "$SYS/uptime", "x/$y")) {
            tree.put(topic, "m");
        }

        assertThat(matching("home/#"))
                .containsExactlyInAnyOrder("home/kitchen/lamp=m", "home/kitchen=m", "home/hall/lamp=m");
        assertThat(matching("home/+/lamp")).containsExactlyInAnyOrder("home/kitchen/lamp=m", "home/hall/lamp=m");
        assertThat(matching("#")).hasSize(4).doesNotContain("$SYS/uptime=m");
        assertThat(matching("+/+")).containsExactlyInAnyOrder("home/kitchen=m", "x/$y=m");
        assertThat(matching("$SYS/#")).containsExactly("$SYS/uptime=m");
    }

    @Test
    void refusesInvalidTopicsAndFilters() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> tree.put("a/+", "m"))
                .withMessage("topic name must not contain '+' or '#', found \"a/+\"");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> matching("$share/g/a"))
                .withMessage("a $share/ filter has no retained messages; expected its filter part, found"
                        + " \"$share/g/a\"");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> matching("a/#/b"))
                .withMessage("'#' must be alone in the last level of a topic filter, found \"a/#/b\"");
        assertThat(tree.nodeCount()).isZero();
    }

    private List<String> matching(String filter) {
        List<String> seen = new ArrayList<>();
        tree.forEachMatching(filter, (topic, message) -> seen.add(topic + "=" + message));
        return seen;
    }
}
