package dev.drawbridge.acl.topic;

/**
 * Which topic names and filters Mosquitto 2.0 accepts ({@code mosquitto_pub_topic_check} and
 * {@code mosquitto_sub_topic_check} as built into the broker).
 */
public final class TopicSyntax {

    /** Longest topic in bytes of UTF-8. */
    public static final int MAX_BYTES = 65_535;

    /** Most {@code /} separators the broker accepts in one topic. */
    public static final int MAX_SEPARATORS = 200;

    private TopicSyntax() {}

    /**
     * Whether a client may publish to this topic name: not empty, no {@code +} or {@code #}, at most {@link #MAX_BYTES}
     * bytes and {@link #MAX_SEPARATORS} separators.
     *
     * @param topic the topic name
     * @return true if it is a valid topic name
     */
    public static boolean isValidName(String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        int separators = 0;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return false;
            }
            if (c == '/') {
                separators++;
            }
        }
        return separators <= MAX_SEPARATORS && fitsLength(topic);
    }

    /**
     * Whether this is a valid subscription filter: not empty, {@code +} only as a whole level, {@code #} only as the
     * whole last level, at most {@link #MAX_BYTES} bytes and {@link #MAX_SEPARATORS} separators.
     *
     * @param filter the topic filter
     * @return true if it is a valid filter
     */
    public static boolean isValidFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        int separators = 0;
        char previous = '\0';
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || previous == '/';
            if (c == '+') {
                if (!levelStart || (i + 1 < filter.length() && filter.charAt(i + 1) != '/')) {
                    return false;
                }
            } else if (c == '#') {
                if (!levelStart || i + 1 < filter.length()) {
                    return false;
                }
            } else if (c == '/') {
                separators++;
            }
            previous = c;
        }
        return separators <= MAX_SEPARATORS && fitsLength(filter);
    }

    private static boolean fitsLength(String topic) {
        if (topic.length() <= MAX_BYTES / 3) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes <= MAX_BYTES;
    }
}
