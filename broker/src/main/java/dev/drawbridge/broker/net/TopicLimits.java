package dev.drawbridge.broker.net;

import org.jspecify.annotations.Nullable;

/**
 * {@code max_topic_length} and {@code max_topic_levels}: how long and how deep a topic name or filter from a client may
 * be. Both are at most what Mosquitto allows (65,535 bytes, 201 levels: 200 separators), so the syntax rules still hold beyond them.
 *
 * @param maxBytes the longest topic, in bytes of UTF-8
 * @param maxLevels the most {@code /}-separated levels ({@code a/b} has 2, {@code /} has 2)
 */
public record TopicLimits(int maxBytes, int maxLevels) {

    public TopicLimits {
        if (maxBytes < 1 || maxLevels < 1) {
            throw new IllegalArgumentException(
                    "topic limits must be at least 1, found " + maxBytes + " bytes, " + maxLevels + " levels");
        }
    }

    /** Why {@code topic} is beyond these limits, or null when it is within them. */
    @Nullable
    String exceeded(String topic) {
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                levels++;
            }
        }
        if (levels > maxLevels) {
            return levels + " levels, more than max_topic_levels " + maxLevels;
        }
        long bytes = MqttStrings.utf8Length(topic);
        if (bytes > maxBytes) {
            return bytes + " bytes, more than max_topic_length " + maxBytes;
        }
        return null;
    }
}
