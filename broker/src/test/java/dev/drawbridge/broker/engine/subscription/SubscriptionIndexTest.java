package dev.drawbridge.broker.engine.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.drawbridge.broker.engine.topic.MatchCases;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SubscriptionIndexTest {

    private final SubscriptionIndex<String> index = new SubscriptionIndex<>();

    static Stream<MatchCases.Case> matchCases() {
        return MatchCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void matchFollowsTheTable(MatchCases.Case row) {
        index.subscribe(row.filter(), "s", SubscriptionOptions.qos(1));
        // a neighbour on another branch must not disturb the row
        index.subscribe("unrelated/+/x", "other", SubscriptionOptions.qos(0));

        List<String> visits = Recorder.match(index, row.topic());

        boolean shared = row.filter().startsWith("$share/");
        List<String> expected = !row.matches()
                ? List.of()
                : shared ? List.of(Recorder.group("g", row.plainFilter(), List.of("s:1"))) : List.of("s#0:1");
        assertThat(visits).isEqualTo(expected);
    }

    @Test
    void subscribeTellsNewFromReplacedAndReplacesTheOptions() {
        assertThat(index.subscribe("a/+", "s", SubscriptionOptions.qos(0))).isTrue();
        assertThat(index.subscribe("a/+", "s", new SubscriptionOptions(2, true, true, 1, 7)))
                .isFalse();
        assertThat(index.subscribe("a/+", "t", SubscriptionOptions.qos(1))).isTrue();

        assertThat(Recorder.match(index, "a/b")).containsExactly("s#7:2", "t#0:1");
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void aSubscriberMatchingSeveralFiltersIsVisitedOncePerFilter() {
        index.subscribe("home/#", "s", new SubscriptionOptions(0, false, false, 0, 1));
        index.subscribe("home/+/lamp", "s", new SubscriptionOptions(1, false, false, 0, 2));
        index.subscribe("home/kitchen/lamp", "s", new SubscriptionOptions(2, false, false, 0, 3));

        assertThat(Recorder.match(index, "home/kitchen/lamp")).containsExactlyInAnyOrder("s#1:0", "s#2:1", "s#3:2");
    }

    @Test
    void unsubscribeSaysWhetherThereWasSuchASubscription() {
        index.subscribe("a/b", "s", SubscriptionOptions.qos(0));

        assertThat(index.unsubscribe("a/b", "t")).isFalse();
        assertThat(index.unsubscribe("a/c", "s")).isFalse();
        assertThat(index.unsubscribe("a/+", "s")).isFalse();
        assertThat(index.unsubscribe("a/b/#", "s")).isFalse();
        assertThat(index.unsubscribe("a/b#", "s")).as("an invalid filter").isFalse();
        assertThat(index.unsubscribe("a/b", "s")).isTrue();
        assertThat(index.unsubscribe("a/b", "s")).isFalse();
        assertThat(index.size()).isZero();
        assertThat(index.nodeCount()).isZero();
    }

    @Test
    void subscribersAreComparedByIdentity() {
        String one = new String("client");
        String two = new String("client");
        index.subscribe("a", one, SubscriptionOptions.qos(0));
        index.subscribe("a", two, SubscriptionOptions.qos(1));

        assertThat(index.size()).isEqualTo(2);
        assertThat(index.unsubscribe("a", two)).isTrue();
        assertThat(Recorder.match(index, "a")).containsExactly("client#0:0");
    }

    @Test
    void sharedGroupsCollectTheirMembersPerGroupAndFilter() {
        assertThat(index.subscribe("$share/g/a/+", "s1", SubscriptionOptions.qos(0)))
                .isTrue();
        assertThat(index.subscribe("$share/g/a/+", "s2", SubscriptionOptions.qos(1)))
                .isTrue();
        assertThat(index.subscribe("$share/g/a/+", "s2", SubscriptionOptions.qos(2)))
                .isFalse();
        assertThat(index.subscribe("$share/h/a/+", "s1", SubscriptionOptions.qos(0)))
                .isTrue();
        assertThat(index.subscribe("$share/g/a/#", "s3", SubscriptionOptions.qos(0)))
                .isTrue();
        assertThat(index.subscribe("a/+", "s1", SubscriptionOptions.qos(1))).isTrue();

        assertThat(Recorder.match(index, "a/b"))
                .containsExactlyInAnyOrder(
                        "s1#0:1",
                        Recorder.group("g", "a/+", List.of("s1:0", "s2:2")),
                        Recorder.group("h", "a/+", List.of("s1:0")),
                        Recorder.group("g", "a/#", List.of("s3:0")));
        assertThat(index.size()).isEqualTo(5);

        assertThat(index.unsubscribe("$share/g/a/+", "s1")).isTrue();
        assertThat(index.unsubscribe("$share/g/a/+", "s1")).isFalse();
        assertThat(index.unsubscribe("$share/x/a/+", "s2")).isFalse();
        assertThat(Recorder.match(index, "a/b"))
                .containsExactlyInAnyOrder(
                        "s1#0:1",
                        Recorder.group("g", "a/+", List.of("s2:2")),
                        Recorder.group("h", "a/+", List.of("s1:0")),
                        Recorder.group("g", "a/#", List.of("s3:0")));

        for (String[] sub : new String[][] {{"$share/g/a/+", "s2"}, {"$share/h/a/+", "s1"}, {"$share/g/a/#", "s3"}}) {
            assertThat(index.unsubscribe(sub[0], sub[1])).isTrue();
        }
        assertThat(index.unsubscribe("a/+", "s1")).isTrue();
        assertThat(index.size()).isZero();
        assertThat(index.nodeCount()).isZero();
    }

    @Test
    void nextIndexTakesTurnsAcrossVersionsOfTheGroup() {
        index.subscribe("$share/g/t", "s1", SubscriptionOptions.qos(0));
        index.subscribe("$share/g/t", "s2", SubscriptionOptions.qos(0));
        List<String> picked = new ArrayList<>();
        SubscriberVisitor<String> pick = new SubscriberVisitor<>() {
            @Override
            public void subscriber(String subscriber, SubscriptionOptions options) {}

            @Override
            public void sharedGroup(SharedGroup<String> group) {
                picked.add(group.member(group.nextIndex()));
            }
        };
        index.match("t", pick);
        index.match("t", pick);
        index.subscribe("$share/g/t", "s3", SubscriptionOptions.qos(0));
        index.match("t", pick);

        assertThat(picked).containsExactly("s1", "s2", "s3");
    }

    @Test
    void invalidFiltersAreRefusedWithTheReason() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.subscribe("a/#/b", "s", SubscriptionOptions.qos(0)))
                .withMessage("'#' must be alone in the last level of a topic filter, found \"a/#/b\"");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> index.subscribe("$share//a", "s", SubscriptionOptions.qos(0)))
                .withMessageStartingWith("shared subscription group is empty");
        assertThat(index.size()).isZero();
        assertThat(index.nodeCount()).isZero();
    }

    @Test
    void optionsAreChecked() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SubscriptionOptions.qos(3))
                .withMessage("qos must be 0, 1 or 2, found 3");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SubscriptionOptions(0, false, false, 3, 0))
                .withMessage("retainHandling must be 0, 1 or 2, found 3");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SubscriptionOptions(0, false, false, 0, 268_435_456))
                .withMessage("subscriptionIdentifier must be 0 (none) to 268435455, found 268435456");
        assertThat(SubscriptionOptions.qos(1)).isEqualTo(new SubscriptionOptions(1, false, false, 0, 0));
    }

    @Test
    void unsubscribingPrunesOnlyWhatIsEmpty() {
        index.subscribe("a/b/c", "s", SubscriptionOptions.qos(0));
        index.subscribe("a/+/c", "s", SubscriptionOptions.qos(0));
        index.subscribe("a/#", "s", SubscriptionOptions.qos(0));
        assertThat(index.nodeCount()).isEqualTo(6); // a, b, c, +, c, #

        index.unsubscribe("a/b/c", "s");
        assertThat(index.nodeCount()).isEqualTo(4);
        index.unsubscribe("a/#", "s");
        assertThat(index.nodeCount()).isEqualTo(3);
        assertThat(Recorder.match(index, "a/x/c")).containsExactly("s#0:0");
    }
}
