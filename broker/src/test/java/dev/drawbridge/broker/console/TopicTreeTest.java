package dev.drawbridge.broker.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.retained.RetainedCopy;
import dev.drawbridge.broker.engine.retained.RetainedTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The retained tree a level at a time: grouped by the next level, counted, bounded, and only what the reader may READ;
 * walked with the engine's own retained tree and its {@code $} rule.
 */
class TopicTreeTest {

    private final RetainedTree<RetainedCopy> retained = new RetainedTree<>();
    private final TopicTree.Source source = (filter, previewBytes) -> {
        List<RetainedCopy> out = new ArrayList<>();
        retained.forEachMatching(
                filter,
                (topic, m) -> out.add(new RetainedCopy(
                        topic,
                        m.qos(),
                        m.payloadSize(),
                        Arrays.copyOf(m.payloadStart(), Math.min(previewBytes, m.payloadSize())),
                        m.properties())));
        return out;
    };
    private static final Predicate<RetainedCopy> EVERYTHING = c -> true;

    private void retain(String topic, String payload) {
        byte[] bytes = payload.getBytes(UTF_8);
        retained.put(topic, new RetainedCopy(topic, 1, bytes.length, bytes, new byte[0]));
    }

    @Test
    void theRootListsFirstLevelsWithTheirCountsAndLeavesDollarTopicsOut() {
        retain("home/garage/door", "open");
        retain("home/garage/light", "on");
        retain("home/kitchen/temp", "21.5");
        retain("alarm", "armed");
        retain("$SYS/broker/version", "drawbridge");

        TopicTree.Level root = TopicTree.level("", source, EVERYTHING);

        assertThat(root.total()).as("$SYS is not matched by the root's #").isEqualTo(4);
        assertThat(root.children())
                .extracting(TopicTree.Child::level, TopicTree.Child::count, TopicTree.Child::hasChildren)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alarm", 1, false),
                        org.assertj.core.groups.Tuple.tuple("home", 3, true));
        assertThat(root.children().get(0).message())
                .hasValueSatisfying(
                        m -> assertThat(new String(m.payloadStart(), UTF_8)).isEqualTo("armed"));
        assertThat(root.children().get(1).message())
                .as("home has no message of its own")
                .isEmpty();
        assertThat(root.more()).isZero();

        TopicTree.Level sys = TopicTree.level("$SYS", source, EVERYTHING);
        assertThat(sys.total()).as("named, $SYS is a level like any other").isEqualTo(1);
        assertThat(sys.children()).extracting(TopicTree.Child::topic).containsExactly("$SYS/broker");
    }

    @Test
    void aLevelShowsItsOwnMessageAndItsLeavesWithPreviews() {
        retain("home/garage", "building");
        retain("home/garage/door", "x".repeat(500));
        retain("home/garage/door/battery", "87");

        TopicTree.Level garage = TopicTree.level("home/garage", source, EVERYTHING);

        assertThat(garage.total()).isEqualTo(3);
        assertThat(garage.message())
                .hasValueSatisfying(m -> assertThat(m.topic()).isEqualTo("home/garage"));
        TopicTree.Child door = garage.children().get(0);
        assertThat(door.topic()).isEqualTo("home/garage/door");
        assertThat(door.count()).isEqualTo(2);
        assertThat(door.hasChildren()).isTrue();
        assertThat(door.message()).hasValueSatisfying(m -> {
            assertThat(m.payloadSize()).isEqualTo(500);
            assertThat(m.payloadStart()).as("the preview only").hasSize(TopicTree.PREVIEW_BYTES);
        });
    }

    @Test
    void whatTheReaderMayNotReadIsNeitherListedNorCounted() {
        retain("home/door", "open");
        retain("secret/x", "code 1234");
        retain("secret/y", "code 5678");
        retain("home/secret", "hidden too");
        Predicate<RetainedCopy> reader =
                c -> !c.topic().startsWith("secret/") && !c.topic().equals("home/secret");

        TopicTree.Level root = TopicTree.level("", source, reader);
        assertThat(root.total()).isEqualTo(1);
        assertThat(root.children()).extracting(TopicTree.Child::level).containsExactly("home");
        assertThat(root.children().get(0).count()).isEqualTo(1);
        assertThat(TopicTree.level("secret", source, reader).total()).isZero();
        assertThat(TopicTree.level("secret", source, reader).children()).isEmpty();
        assertThat(TopicTree.found("secret", source, reader).total()).isZero();
        assertThat(TopicTree.found("home/", source, reader).topics())
                .extracting(RetainedCopy::topic)
                .containsExactly("home/door");

        // Control: the same tree for a reader who may read everything.
        assertThat(TopicTree.level("", source, EVERYTHING).total()).isEqualTo(4);
        assertThat(TopicTree.found("secret", source, EVERYTHING).total()).isEqualTo(2);
    }

    @Test
    void aZigbeeHouseOf12000RetainedMessagesIsAnsweredInBoundedLevels() {
        for (int device = 0; device < 400; device++) {
            for (int attribute = 0; attribute < 30; attribute++) {
                retain("zigbee2mqtt/device" + device + "/attr" + attribute, "{\"v\":" + attribute + "}");
            }
        }
        assertThat(retained.size()).isEqualTo(12_000);

        TopicTree.Level root = TopicTree.level("", source, EVERYTHING);
        assertThat(root.total()).isEqualTo(12_000);
        assertThat(root.children())
                .singleElement()
                .satisfies(c -> assertThat(c.count()).isEqualTo(12_000));

        TopicTree.Level z = TopicTree.level("zigbee2mqtt", source, EVERYTHING);
        assertThat(z.children()).hasSize(TopicTree.MAX_CHILDREN);
        assertThat(z.more()).isEqualTo(400 - TopicTree.MAX_CHILDREN);
        assertThat(z.children().get(0).count()).isEqualTo(30);
        assertThat(TopicsJson.level(z).length())
                .as("one level's answer stays small")
                .isLessThan(64 * 1024);

        TopicTree.Found found = TopicTree.found("zigbee2mqtt/device1", source, EVERYTHING);
        assertThat(found.total()).as("device1, device10..19, device100..199").isEqualTo(111 * 30);
        assertThat(found.topics()).hasSize(TopicTree.MAX_FOUND);
        assertThat(found.topics()).allSatisfy(t -> assertThat(t.payloadStart()).isNotEmpty());
        assertThat(TopicsJson.found(found).length()).isLessThan(64 * 1024);
    }

    @Test
    void aPrefixWithoutASlashSkipsDollarTopicsUnlessItStartsWithDollar() {
        retain("$SYS/broker/uptime", "5 s");
        retain("sys/x", "1");

        assertThat(TopicTree.found("s", source, EVERYTHING).topics())
                .extracting(RetainedCopy::topic)
                .containsExactly("sys/x");
        assertThat(TopicTree.found("$SYS", source, EVERYTHING).topics())
                .extracting(RetainedCopy::topic)
                .containsExactly("$SYS/broker/uptime");
        assertThat(TopicTree.found("$SYS/broker/up", source, EVERYTHING).total())
                .isEqualTo(1);
    }

    @Test
    void badPathsAndPrefixesAreNamed() {
        assertThat(TopicTree.pathError("")).isNull();
        assertThat(TopicTree.pathError("home/+")).isEqualTo("topic name must not contain '+' or '#', found \"home/+\"");
        assertThat(TopicTree.prefixError("home/#"))
                .isEqualTo("a prefix is the start of a topic name, without '+', '#' or U+0000; found \"home/#\"");
        assertThat(TopicTree.prefixError("")).isEqualTo("the prefix is empty; expected the start of a topic name");
        assertThat(TopicTree.prefixError("home/gar")).isNull();
    }

    @Test
    void payloadsAreShownAsTextOrHex() {
        assertThat(Payloads.of("21.5".getBytes(UTF_8), 4)).isEqualTo(new Payloads(true, "21.5", false));
        assertThat(Payloads.of(new byte[] {0, 1, (byte) 0xff}, 3)).isEqualTo(new Payloads(false, "00 01 ff", false));
        assertThat(Payloads.of("line\nbreak".getBytes(UTF_8), 10).text()).isTrue();
        assertThat(Payloads.of("bell\u0007".getBytes(UTF_8), 5).text())
                .as("a control character")
                .isFalse();
        Payloads long1 = Payloads.of("y".repeat(160).getBytes(UTF_8), 1000);
        assertThat(long1.preview()).hasSize(Payloads.MAX_CHARS);
        assertThat(long1.cut()).isTrue();
        byte[] euro = "€€".getBytes(UTF_8); // 6 bytes; the preview ends inside the second
        assertThat(Payloads.of(Arrays.copyOf(euro, 4), 6))
                .as("a character cut by the preview's end is dropped, not taken for binary")
                .isEqualTo(new Payloads(true, "€", true));
    }
}
