package dev.drawbridge.broker.engine.topic;

/**
 * The naive matcher the property tests compare against: split both strings at every '/', compare level by level. Slow
 * and obviously right; takes a filter without a {@code $share/} prefix.
 */
public final class ReferenceMatcher {

    private ReferenceMatcher() {}

    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
