package dev.drawbridge.broker.moquette;

/**
 * MQTT 3.1.1 section 4.7.2: a filter that starts with a wildcard does not match topics that start with {@code $}.
 * Moquette 0.17 has no such rule.
 */
final class DollarTopicRule {

    private DollarTopicRule() {}

    static boolean matches(String filter, String topic) {
        if (!topic.startsWith("$")) {
            return true;
        }
        return !(filter.startsWith("#") || filter.startsWith("+"));
    }
}
