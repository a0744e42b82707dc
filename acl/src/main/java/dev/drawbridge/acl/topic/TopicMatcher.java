package dev.drawbridge.acl.topic;

/**
 * Mosquitto 2.0's {@code mosquitto_topic_matches_sub}, ported character for character so that its answers are exactly
 * Mosquitto's. The characters it looks at ({@code / + # $}) are ASCII, so working on UTF-16 chars gives the same answers
 * as Mosquitto's bytes of UTF-8.
 *
 * <ul>
 *   <li>{@code +} matches exactly one level, which may be empty: {@code a/+} matches {@code a/} but not {@code a};
 *   <li>{@code #} matches any number of levels including none, so {@code a/#} also matches the parent {@code a};
 *   <li>a topic starting with {@code $} is matched only by a filter starting with {@code $}, and the other way round;
 *   <li>an invalid filter or a topic containing {@code +} or {@code #} never matches.
 * </ul>
 */
public final class TopicMatcher {

    private TopicMatcher() {}

    /**
     * Whether a topic name matches a filter.
     *
     * @param filter the subscription or ACL filter
     * @param topic the concrete topic name
     * @return true if it matches
     */
    public static boolean matches(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        if ((filter.charAt(0) == '$') != (topic.charAt(0) == '$')) {
            return false;
        }
        int s = 0;
        int t = 0;
        int sLen = filter.length();
        int tLen = topic.length();
        while (s < sLen) {
            char tc = at(topic, t);
            if (tc == '+' || tc == '#') {
                return false;
            }
            char sc = filter.charAt(s);
            if (sc != tc || t == tLen) {
                if (sc == '+') {
                    if ((s > 0 && filter.charAt(s - 1) != '/')
                            || (at(filter, s + 1) != 0 && at(filter, s + 1) != '/')) {
                        return false;
                    }
                    s++;
                    while (t < tLen && topic.charAt(t) != '/') {
                        if (topic.charAt(t) == '+' || topic.charAt(t) == '#') {
                            return false;
                        }
                        t++;
                    }
                    if (t == tLen && s == sLen) {
                        return true;
                    }
                } else if (sc == '#') {
                    if ((s > 0 && filter.charAt(s - 1) != '/') || s + 1 < sLen) {
                        return false;
                    }
                    return noWildcards(topic, t);
                } else {
                    // "foo/bar" matches "foo/+/#"
                    return t == tLen && s > 0 && filter.charAt(s - 1) == '+' && sc == '/' && at(filter, s + 1) == '#';
                }
            } else {
                // "foo" matches "foo/#"
                if (t + 1 == tLen && at(filter, s + 1) == '/' && at(filter, s + 2) == '#' && s + 3 == sLen) {
                    return true;
                }
                s++;
                t++;
                if (s == sLen && t == tLen) {
                    return true;
                }
                if (t == tLen && at(filter, s) == '+' && s + 1 == sLen) {
                    return filter.charAt(s - 1) == '/';
                }
            }
        }
        return false;
    }

    private static char at(String s, int index) {
        return index < s.length() ? s.charAt(index) : 0;
    }

    private static boolean noWildcards(String topic, int from) {
        for (int i = from; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return false;
            }
        }
        return true;
    }
}
