package dev.drawbridge.broker.console;

import dev.drawbridge.broker.engine.codec.PropertyText;
import dev.drawbridge.broker.engine.retained.RetainedCopy;
import java.util.Map;
import java.util.StringJoiner;

/** The JSON of the topics page: a level of the retained tree, a prefix search, and the live view's new messages. */
final class TopicsJson {

    private TopicsJson() {}

    static String level(TopicTree.Level level) {
        StringJoiner children = new StringJoiner(",", "[", "]");
        for (TopicTree.Child c : level.children()) {
            children.add("{\"level\":" + Json.string(c.level())
                    + ",\"topic\":" + Json.string(c.topic())
                    + ",\"count\":" + c.count()
                    + ",\"children\":" + c.hasChildren()
                    + c.message().map(m -> ",\"message\":" + message(m)).orElse("")
                    + "}");
        }
        return "{\"path\":" + Json.string(level.path())
                + ",\"total\":" + level.total()
                + level.message().map(m -> ",\"message\":" + message(m)).orElse("")
                + ",\"children\":" + children
                + ",\"more\":" + level.more() + "}";
    }

    static String found(TopicTree.Found found) {
        StringJoiner topics = new StringJoiner(",", "[", "]");
        for (RetainedCopy copy : found.topics()) {
            topics.add("{\"topic\":" + Json.string(copy.topic()) + ",\"message\":" + message(copy) + "}");
        }
        return "{\"prefix\":" + Json.string(found.prefix())
                + ",\"total\":" + found.total()
                + ",\"topics\":" + topics + "}";
    }

    static String live(LiveView.Poll poll) {
        StringJoiner messages = new StringJoiner(",", "[", "]");
        for (LiveView.Seen seen : poll.messages()) {
            var m = seen.message();
            messages.add("{\"seq\":" + seen.seq()
                    + ",\"time\":" + Json.string(Pages.time(seen.at()))
                    + ",\"topic\":" + Json.string(m.topic())
                    + "," + body(m.qos(), m.payloadSize(), m.payloadStart(), m.properties()) + "}");
        }
        return "{\"filter\":" + Json.string(poll.filter())
                + ",\"state\":" + Json.string(poll.state())
                + ",\"dropped\":" + poll.dropped()
                + ",\"messages\":" + messages + "}";
    }

    static String error(String message) {
        return "{\"error\":" + Json.string(message) + "}";
    }

    private static String message(RetainedCopy m) {
        return "{" + body(m.qos(), m.payloadSize(), m.payloadStart(), m.properties()) + "}";
    }

    private static String body(int qos, int size, byte[] start, byte[] properties) {
        Payloads payload = Payloads.of(start, size);
        StringJoiner props = new StringJoiner(",", "[", "]");
        for (Map.Entry<String, String> p : PropertyText.of(properties)) {
            props.add("[" + Json.string(p.getKey()) + "," + Json.string(p.getValue()) + "]");
        }
        return "\"qos\":" + qos
                + ",\"size\":" + size
                + ",\"text\":" + payload.text()
                + ",\"preview\":" + Json.string(payload.preview())
                + ",\"cut\":" + payload.cut()
                + ",\"properties\":" + props;
    }
}
