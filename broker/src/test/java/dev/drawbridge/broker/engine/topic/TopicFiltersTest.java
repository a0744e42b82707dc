package dev.drawbridge.broker.engine.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.drawbridge.acl.topic.TopicMatcher;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicFiltersTest {

    static Stream<MatchCases.Case> matchCases() {
        return MatchCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void mosquittosOwnMatcherFollowsTheTable(MatchCases.Case row) {
        // The table is what the engine's trees are held to; the ACL's port of Mosquitto's matcher must agree with it.
        assertThat(TopicMatcher.matches(row.plainFilter(), row.topic())).isEqualTo(row.matches());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void theReferenceMatcherOfThePropertyTestsFollowsTheTableToo(MatchCases.Case row) {
        assertThat(ReferenceMatcher.matches(row.plainFilter(), row.topic())).isEqualTo(row.matches());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchCases")
    void everyFilterAndTopicOfTheTableIsValid(MatchCases.Case row) {
        assertThat(TopicFilters.filterError(row.filter())).isNull();
        assertThat(TopicFilters.topicNameError(row.topic())).isNull();
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("a/b/c", null),
                Arguments.of("#", null),
                Arguments.of("+", null),
                Arguments.of("/", null),
                Arguments.of("a//b", null),
                Arguments.of("+/+/#", null),
                Arguments.of("$SYS/#", null),
                Arguments.of("$share", null),
                Arguments.of("$share/g/a/+", null),
                Arguments.of("$share/g/#", null),
                Arguments.of("$share/g//", null),
                Arguments.of("", "topic filter is empty; expected at least one character"),
                Arguments.of(
                        "sport/tennis#",
                        "'#' must be alone in the last level of a topic filter, found" + " \"sport/tennis#\""),
                Arguments.of(
                        "sport/tennis/#/ranking",
                        "'#' must be alone in the last level of a topic filter," + " found \"sport/tennis/#/ranking\""),
                Arguments.of("##", "'#' must be alone in the last level of a topic filter, found \"##\""),
                Arguments.of("sport+", "'+' must be alone in its level of a topic filter, found \"sport+\""),
                Arguments.of("a/++/b", "'+' must be alone in its level of a topic filter, found \"a/++/b\""),
                Arguments.of("a/\u0000", "topic filter must not contain U+0000"),
                Arguments.of(
                        "$share//a",
                        "shared subscription group is empty in \"$share//a\"; expected" + " $share/GROUP/FILTER"),
                Arguments.of(
                        "$share/",
                        "shared subscription group is empty in \"$share/\"; expected" + " $share/GROUP/FILTER"),
                Arguments.of(
                        "$share/g",
                        "shared subscription has no topic filter after the group in \"$share/g\";"
                                + " expected $share/GROUP/FILTER"),
                Arguments.of("$share/g/", "topic filter is empty; expected at least one character"),
                Arguments.of(
                        "$share/g+/a",
                        "shared subscription group must not contain '+' or '#', found" + " \"$share/g+/a\""),
                Arguments.of(
                        "$share/#/a",
                        "shared subscription group must not contain '+' or '#', found" + " \"$share/#/a\""),
                Arguments.of(
                        "$share/g/a#",
                        "'#' must be alone in the last level of a topic filter, found" + " \"$share/g/a#\""));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("filters")
    void filterErrorSaysWhatIsWrong(String filter, @Nullable String error) {
        assertThat(TopicFilters.filterError(filter)).isEqualTo(error);
        assertThat(TopicFilters.isValidFilter(filter)).isEqualTo(error == null);
    }

    static Stream<Arguments> topicNames() {
        return Stream.of(
                Arguments.of("a/b", null),
                Arguments.of("/", null),
                Arguments.of("$SYS/broker", null),
                Arguments.of("", "topic name is empty; expected at least one character"),
                Arguments.of("a/+", "topic name must not contain '+' or '#', found \"a/+\""),
                Arguments.of("a/#", "topic name must not contain '+' or '#', found \"a/#\""),
                Arguments.of("a\u0000", "topic name must not contain U+0000"));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("topicNames")
    void topicNameErrorSaysWhatIsWrong(String topic, @Nullable String error) {
        assertThat(TopicFilters.topicNameError(topic)).isEqualTo(error);
        assertThat(TopicFilters.isValidTopicName(topic)).isEqualTo(error == null);
    }

    static Stream<Arguments> sharedFilters() {
        return Stream.of(
                Arguments.of("$share/g/a/+", new SharedFilter("g", "a/+")),
                Arguments.of("$share/group-1/#", new SharedFilter("group-1", "#")),
                Arguments.of("$share/g/$SYS/x", new SharedFilter("g", "$SYS/x")),
                Arguments.of("$share/g//", new SharedFilter("g", "/")),
                Arguments.of("$share", null),
                Arguments.of("$shared/g/a", null),
                Arguments.of("a/b", null));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("sharedFilters")
    void sharedFilterParsesGroupAndFilter(String filter, @Nullable SharedFilter expected) {
        assertThat(SharedFilter.parse(filter)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("malformedShared")
    void sharedFilterRefusesAMalformedShare(String filter) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SharedFilter.parse(filter))
                .withMessage(TopicFilters.filterError(filter));
    }

    static Stream<String> malformedShared() {
        return Stream.of("$share//a", "$share/g", "$share/g/", "$share/g+/a", "$share/g/a/#/b");
    }

    static Stream<Arguments> levels() {
        return Stream.of(
                Arguments.of("a", 1),
                Arguments.of("a/b", 2),
                Arguments.of("/", 2),
                Arguments.of("a//b", 3),
                Arguments.of("a/", 2),
                Arguments.of("", 1));
    }

    @ParameterizedTest(name = "\"{0}\" has {1} levels")
    @MethodSource("levels")
    void levelWalkingCountsEmptyLevels(String s, int expected) {
        int walked = 0;
        for (int start = 0; start <= s.length(); start = TopicLevels.end(s, start) + 1) {
            int end = TopicLevels.end(s, start);
            assertThat(TopicLevels.hash(s, start, end))
                    .isEqualTo(s.substring(start, end).hashCode());
            assertThat(TopicLevels.regionEquals(s.substring(start, end), s, start, end))
                    .isTrue();
            walked++;
        }
        assertThat(walked).isEqualTo(expected).isEqualTo(TopicLevels.count(s));
    }
}
