package dev.drawbridge.broker.engine.topic;

import org.jspecify.annotations.Nullable;

/**
 * The rules of topic names and filters (MQTT 3.1.1 section 4.7, MQTT 5 section 4.8.2 for {@code $share}). Checks
 * return the reason as a value ({@code null} when fine) so the caller can log it or put it in a reason string.
 */
public final class TopicFilters {

    private TopicFilters() {}

    /** Why {@code filter} is not a valid SUBSCRIBE filter, or {@code null} when it is; {@code $share/} included. */
    public static @Nullable String filterError(String filter) {
        if (!SharedFilter.isShared(filter)) {
            return levelsError(filter, 0, filter);
        }
        int groupStart = SharedFilter.PREFIX.length();
        int groupEnd = TopicLevels.end(filter, groupStart);
        if (groupEnd == groupStart) {
            return "shared subscription group is empty in \"" + filter + "\"; expected $share/GROUP/FILTER";
        }
        for (int i = groupStart; i < groupEnd; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                return "shared subscription group must not contain '+' or '#', found \"" + filter + "\"";
            }
        }
        if (groupEnd == filter.length()) {
            return "shared subscription has no topic filter after the group in \"" + filter
                    + "\"; expected $share/GROUP/FILTER";
        }
        return levelsError(filter, groupEnd + 1, filter);
    }

    public static boolean isValidFilter(String filter) {
        return filterError(filter) == null;
    }

    /** Why {@code topic} is not a valid topic name of a PUBLISH or a will, or {@code null} when it is. */
    public static @Nullable String topicNameError(String topic) {
        if (topic.isEmpty()) {
            return "topic name is empty; expected at least one character";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return "topic name must not contain '+' or '#', found \"" + topic + "\"";
            }
            if (c == 0) {
                return "topic name must not contain U+0000";
            }
        }
        return null;
    }

    public static boolean isValidTopicName(String topic) {
        return topicNameError(topic) == null;
    }

    /** Whether a topic name starts with {@code $} ({@code $SYS/...}): wildcards in the first level do not match it. */
    /**
     * Whether a client behind this {@code mount_point} may be sent a message on this topic: only one below the prefix
     * (the bare prefix has no topic left to be sent as). Every topic is, with no mount point (empty).
     */
    public static boolean isBelowMountPoint(String mountPoint, String topic) {
        return mountPoint.isEmpty() || (topic.length() > mountPoint.length() && topic.startsWith(mountPoint));
    }

    public static boolean isDollarTopic(String topic) {
        return !topic.isEmpty() && topic.charAt(0) == '$';
    }

    private static @Nullable String levelsError(String s, int from, String whole) {
        if (from == s.length()) {
            return "topic filter is empty; expected at least one character";
        }
        for (int start = from; start <= s.length(); ) {
            int end = TopicLevels.end(s, start);
            for (int i = start; i < end; i++) {
                char c = s.charAt(i);
                if (c == '#' && (end - start != 1 || end != s.length())) {
                    return "'#' must be alone in the last level of a topic filter, found \"" + whole + "\"";
                }
                if (c == '+' && end - start != 1) {
                    return "'+' must be alone in its level of a topic filter, found \"" + whole + "\"";
                }
                if (c == 0) {
                    return "topic filter must not contain U+0000";
                }
            }
            start = end + 1;
        }
        return null;
    }
}
