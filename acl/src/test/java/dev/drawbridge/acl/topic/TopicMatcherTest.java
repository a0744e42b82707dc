package dev.drawbridge.acl.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicMatcherTest {

    @ParameterizedTest(name = "{2}: {0} vs {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a/b          | a/b        | true  | exact
            a/b          | a/c        | false | different level
            a/+          | a/b        | true  | + one level
            a/+          | a/b/c      | false | + is one level only
            a/+          | a          | false | + needs the level
            a/+          | a/         | true  | + matches an empty last level
            a/+/c        | a//c       | true  | + matches an empty middle level
            +            | a          | true  | lone +
            +            | /          | false | lone + against two empty levels
            +/+          | /          | true  | two empty levels
            a/#          | a          | true  | # also matches the parent
            a/#          | a/b/c      | true  | # many levels
            a/#          | ab         | false | # is a whole level
            #            | a/b        | true  | lone #
            a/+/#        | a/b        | true  | +/# matches one level
            +/#          | a          | true  | +/# matches the parent of #
            a/b          | a/b/       | false | trailing empty level
            a/b/         | a/b        | false | filter with trailing empty level
            #            | $SYS/x     | false | $ topics need a $ filter
            +/x          | $SYS/x     | false | $ topics need a $ filter
            $SYS/#       | $SYS/x     | true  | $ filter
            $SYS/#       | $SYS       | true  | $ filter parent
            $SYS/#       | a          | false | $ filter does not match normal topic
            a/b#         | a/b        | false | invalid filter
            a/#/b        | a/x/b      | false | invalid filter
            a+/b         | a+/b       | false | invalid filter, wildcard topic
            a/b          | a/+        | false | topic with wildcard
            home/alice/# | home/alice | true  | oracle acl1-023
            """)
    void matchesLikeMosquitto(String filter, String topic, boolean expected, String description) {
        assertThat(TopicMatcher.matches(filter, topic)).as(description).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"''", "a"})
    void emptyFilterOrTopicNeverMatches(String text) {
        assertThat(TopicMatcher.matches("", text)).isFalse();
        assertThat(TopicMatcher.matches(text, "")).isFalse();
    }
}
