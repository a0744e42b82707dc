package dev.drawbridge.broker.bridge;

/**
 * Whether a topic name matches a topic filter, as Mosquitto's {@code mosquitto_topic_matches_sub}: {@code +} one
 * level, {@code #} any levels including none (so {@code a/#} matches {@code a}), and a wildcard in the first level
 * does not match a {@code $} topic.
 */
final class TopicMatch {

    private TopicMatch() {}

    static boolean matches(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        if ((filter.charAt(0) == '$') != (topic.charAt(0) == '$')) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
