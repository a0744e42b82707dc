package dev.drawbridge.broker.engine.topic;

import org.jspecify.annotations.Nullable;

/**
 * A shared subscription, {@code $share/GROUP/FILTER} (MQTT 5 section 4.8.2): the members of a group take turns at the
 * messages matching {@code filter}.
 */
public record SharedFilter(String group, String filter) {

    static final String PREFIX = "$share/";

    public SharedFilter {
        if (group.isEmpty() || group.indexOf('/') >= 0 || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
            throw new IllegalArgumentException(
                    "shared subscription group must be non-empty without '/', '+' or '#', found \"" + group + "\"");
        }
    }

    /** Whether a SUBSCRIBE filter is a shared subscription (valid or not: {@link TopicFilters#filterError} says). */
    public static boolean isShared(String filter) {
        return filter.startsWith(PREFIX);
    }

    /**
     * The group and filter of a {@code $share/} filter, or {@code null} for any other filter.
     *
     * @throws IllegalArgumentException when it starts with {@code $share/} but is malformed
     */
    public static @Nullable SharedFilter parse(String filter) {
        if (!isShared(filter)) {
            return null;
        }
        String error = TopicFilters.filterError(filter);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        int groupEnd = filter.indexOf('/', PREFIX.length());
        return new SharedFilter(filter.substring(PREFIX.length(), groupEnd), filter.substring(groupEnd + 1));
    }
}
