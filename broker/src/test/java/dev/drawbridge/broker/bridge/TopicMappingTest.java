package dev.drawbridge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.broker.bridge.TopicMapping.Direction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TopicMapping} against Mosquitto 2.0.11's {@code src/bridge_topic.c} ({@code bridge__add_topic},
 * {@code bridge__create_prefix}, {@code bridge__remap_topic_in}) and the outgoing remap of {@code send__publish} in
 * {@code lib/send_publish.c}; each row says which rule it comes from. Mappings are written as the words after
 * {@code topic}, with {@code ""} as Mosquitto's placeholder.
 */
class TopicMappingTest {

    static Stream<Arguments> refused() {
        return Stream.of(
                // bridge__add_topic: a "" pattern without both prefixes is "Invalid bridge remapping".
                refused("\"\" both 0 l/", "the pattern \"\" needs both a local and a remote prefix"),
                refused("\"\" out 0", "the pattern \"\" needs both a local and a remote prefix"),
                refused("\"\" in 1 \"\" r/", "the pattern \"\" needs both a local and a remote prefix"),
                // bridge__add_topic: mosquitto_pub_topic_check on each prefix.
                refused("# both 0 a/+/ r/", "local prefix 'a/+/' must not contain + or #"),
                refused("# both 0 l/ r/#", "remote prefix 'r/#' must not contain + or #"),
                // bridge__create_prefix: mosquitto_sub_topic_check on prefix + pattern.
                refused(
                        "# out 0 l r/",
                        "local prefix and pattern make 'l#': '#' must be alone in the last level of a topic filter,"
                                + " found \"l#\""),
                refused(
                        "+/x in 0 \"\" r",
                        "remote prefix and pattern make 'r+/x': '+' must be alone in its level of a topic filter,"
                                + " found \"r+/x\""),
                // Drawbridge only: Mosquitto 2.0.11 takes a bad pattern without prefixes and fails at SUBSCRIBE.
                refused(
                        "a/#/b out 0",
                        "pattern 'a/#/b': '#' must be alone in the last level of a topic filter, found \"a/#/b\""));
    }

    @ParameterizedTest(name = "topic {0}")
    @MethodSource("refused")
    void aBadMappingIsRefusedWithItsReason(String words, String reason) {
        assertThatThrownBy(() -> mapping(words))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                // No prefixes: the pattern on both sides.
                Arguments.of("sensors/# out 0", "sensors/#", "sensors/#"),
                // bridge__add_topic / bridge__create_remap_topic: prefix + pattern.
                Arguments.of("# both 1 house/ cloud/house/", "house/#", "cloud/house/#"),
                Arguments.of("state in 2 \"\" remote/", "state", "remote/state"),
                // A "" pattern: each prefix alone is the filter.
                Arguments.of("\"\" both 0 local/status remote/status", "local/status", "remote/status"),
                // Prefixes are joined as written, without a '/' (Mosquitto does not add one).
                Arguments.of("t out 0 a b", "at", "bt"));
    }

    @ParameterizedTest(name = "topic {0}")
    @MethodSource("filters")
    void theBridgeSubscribesToThePrefixedPatternOnEachSide(String words, String local, String remote) {
        TopicMapping m = mapping(words);

        assertThat(m.localFilter()).isEqualTo(local);
        assertThat(m.remoteFilter()).isEqualTo(remote);
    }

    static Stream<Arguments> outgoing() {
        return Stream.of(
                Arguments.of("sensors/# out 0", "sensors/kitchen/t", "sensors/kitchen/t"),
                Arguments.of("sensors/# out 0", "lights/kitchen", null),
                Arguments.of("sensors/# in 0", "sensors/kitchen/t", null), // in: nothing goes out
                Arguments.of("# both 1 house/ cloud/house/", "house/door", "cloud/house/door"),
                Arguments.of("# both 1 house/ cloud/house/", "garage/door", null),
                Arguments.of("# out 0 \"\" cloud/", "door", "cloud/door"),
                Arguments.of("# out 0 house/ \"\"", "house/door", "door"),
                Arguments.of("\"\" out 0 local/status remote/status", "local/status", "remote/status"),
                Arguments.of("\"\" out 0 local/status remote/status", "local/status/x", null),
                // house/# matches house itself, which does not start with "house/": it keeps its name (send__publish).
                Arguments.of("# out 0 house/ cloud/", "house", "cloud/house"),
                // A wildcard in the first level does not match a $ topic (mosquitto_topic_matches_sub).
                Arguments.of("# out 0", "$SYS/broker/uptime", null),
                Arguments.of("$SYS/broker/# out 0 \"\" house/", "$SYS/broker/uptime", "house/$SYS/broker/uptime"));
    }

    @ParameterizedTest(name = "topic {0}: {1} -> {2}")
    @MethodSource("outgoing")
    void aLocalTopicMapsToTheRemoteOneAsSendPublishDoes(String words, String local, @Nullable String remote) {
        assertThat(mapping(words).toRemote(local)).isEqualTo(Optional.ofNullable(remote));
    }

    static Stream<Arguments> incoming() {
        return Stream.of(
                Arguments.of("sensors/# in 0", "sensors/t", "sensors/t"),
                Arguments.of("sensors/# out 0", "sensors/t", null), // out: nothing comes in
                Arguments.of("sensor/+ in 2 home/ cloud/", "cloud/sensor/t", "home/sensor/t"),
                Arguments.of("sensor/+ in 2 home/ cloud/", "cloud/sensor/t/x", null),
                Arguments.of("# both 0 \"\" openWB/", "openWB/lp/1/W", "lp/1/W"),
                Arguments.of("\"\" in 0 local/status remote/status", "remote/status", "local/status"),
                Arguments.of("# in 0 l/ r/", "r", "l/r")); // bridge__remap_topic_in strips only a leading prefix
    }

    @ParameterizedTest(name = "topic {0}: {1} -> {2}")
    @MethodSource("incoming")
    void aRemoteTopicMapsToTheLocalOneAsRemapTopicInDoes(String words, String remote, @Nullable String local) {
        assertThat(mapping(words).toLocal(remote)).isEqualTo(Optional.ofNullable(local));
    }

    @Test
    void aBridgeRemapsWithTheFirstMappingThatHasAPrefixAndMatches() {
        // Mosquitto's loop skips mappings without prefixes, and leaves a topic no mapping matches unchanged.
        List<TopicMapping> mappings =
                List.of(mapping("# both 0"), mapping("door/# both 0 house/ cloud/"), mapping("# both 0 a/ b/"));

        assertThat(TopicMapping.remoteTopic(mappings, "house/door/1")).isEqualTo("cloud/door/1");
        assertThat(TopicMapping.remoteTopic(mappings, "a/x")).isEqualTo("b/x");
        assertThat(TopicMapping.remoteTopic(mappings, "other")).isEqualTo("other");
        assertThat(TopicMapping.localTopic(mappings, "cloud/door/1")).isEqualTo("house/door/1");
        assertThat(TopicMapping.localTopic(mappings, "b/y")).isEqualTo("a/y");
    }

    @Test
    void theSubscriptionQosIsTheMappingsBoundedByWhatTheBrokerGrants() {
        // bridge__connect: qos > max_qos gives max_qos, on both sides.
        assertThat(mapping("# both 2").subscriptionQos(1)).isEqualTo(1);
        assertThat(mapping("# both 1").subscriptionQos(2)).isEqualTo(1);
        assertThat(mapping("#").qos()).isZero();
        assertThat(mapping("#").direction()).isEqualTo(Direction.OUT);
    }

    /** The words after {@code topic}, as {@code conf.c} reads them (the config parser's own tests cover the line). */
    static TopicMapping mapping(String words) {
        String[] w = words.split(" ");
        return new TopicMapping(
                word(w, 0),
                w.length > 1 ? Direction.valueOf(w[1].toUpperCase(Locale.ROOT)) : Direction.OUT,
                w.length > 2 ? Integer.parseInt(w[2]) : 0,
                word(w, 3),
                word(w, 4));
    }

    private static Optional<String> word(String[] w, int i) {
        return i < w.length && !w[i].equals("\"\"") ? Optional.of(w[i]) : Optional.empty();
    }

    private static Arguments refused(String words, String reason) {
        return Arguments.of(words, reason);
    }
}
