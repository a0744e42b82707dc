package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code max_topic_length} (bytes of UTF-8) and {@code max_topic_levels} ({@code /}-separated levels). */
class TopicLimitsTest {

    static Stream<Arguments> topics() {
        return Stream.of(
                Arguments.of("one level", 10, 1, "garage", null),
                Arguments.of("two levels where one is allowed", 10, 1, "a/b", "2 levels, more than max_topic_levels 1"),
                Arguments.of("'/' alone is two empty levels", 10, 1, "/", "2 levels, more than max_topic_levels 1"),
                Arguments.of("200 levels", 65_535, 200, "d/".repeat(199) + "d", null),
                Arguments.of(
                        "201 levels (200 separators, Mosquitto's limit) pass",
                        65_535,
                        201,
                        "d/".repeat(200) + "d",
                        null),
                Arguments.of(
                        "202 levels",
                        65_535,
                        201,
                        "d/".repeat(201) + "d",
                        "202 levels, more than max_topic_levels 201"),
                Arguments.of("exactly the length", 6, 5, "garage", null),
                Arguments.of("one byte too long", 5, 5, "garage", "6 bytes, more than max_topic_length 5"),
                Arguments.of("counted in UTF-8 bytes, not characters", 5, 5, "t\u00fcr", null),
                Arguments.of("2-byte characters", 3, 5, "t\u00fcr", "4 bytes, more than max_topic_length 3"),
                Arguments.of("3-byte characters", 5, 5, "\u20ac\u20ac", "6 bytes, more than max_topic_length 5"),
                Arguments.of(
                        "a surrogate pair is 4 bytes", 3, 5, "\ud83d\ude97", "4 bytes, more than max_topic_length 3"),
                Arguments.of("levels are judged before length", 1, 1, "a/b", "2 levels, more than max_topic_levels 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void judgesLengthAndDepth(String description, int maxBytes, int maxLevels, String topic, String expected) {
        assertThat(new TopicLimits(maxBytes, maxLevels).exceeded(topic)).isEqualTo(expected);
    }

    static Stream<Arguments> prefixes() {
        return Stream.of(
                Arguments.of("short id unchanged", "garage", "garage"),
                Arguments.of("long id cut at 32 characters", "x".repeat(300), "x".repeat(32)),
                Arguments.of("control characters hidden", "a\nb\rc\u0000d", "a?b?c?d"),
                Arguments.of(
                        "never half a surrogate pair",
                        "x".repeat(31) + "\ud83d\ude97" + "y".repeat(10),
                        "x".repeat(31)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prefixes")
    void logsOnlyTheStartOfAClientString(String description, String text, String expected) {
        assertThat(MqttStrings.logPrefix(text)).isEqualTo(expected);
    }
}
