package dev.drawbridge.broker.engine.topic;

/**
 * Walks the levels of a topic name or filter by index, so that matching never allocates a substring. A level is the
 * region {@code [start, end)} where {@code end} is {@link #end}; the next level starts at {@code end + 1}, and there is
 * no next level once that exceeds the length. Empty levels are real levels: {@code "a//b"} has three, {@code "/"} two.
 *
 * <pre>
 * for (int start = 0; start &lt;= s.length(); start = TopicLevels.end(s, start) + 1) { ... }
 * </pre>
 */
public final class TopicLevels {

    private TopicLevels() {}

    /** The index of the {@code '/'} that ends the level starting at {@code start}, or the length for the last one. */
    public static int end(String s, int start) {
        int slash = s.indexOf('/', start);
        return slash < 0 ? s.length() : slash;
    }

    /** {@link String#hashCode()} of the region, so a table keyed by whole level strings can be probed with it. */
    public static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    /** Whether {@code level} equals the region {@code [start, end)} of {@code s}. */
    public static boolean regionEquals(String level, String s, int start, int end) {
        int length = end - start;
        return level.length() == length && s.regionMatches(start, level, 0, length);
    }

    /** Whether the level {@code [start, end)} is exactly {@code c} (for {@code +} and {@code #}). */
    public static boolean isChar(String s, int start, int end, char c) {
        return end - start == 1 && s.charAt(start) == c;
    }

    /** The number of levels: one more than the number of {@code '/'}. */
    public static int count(String s) {
        int levels = 1;
        for (int i = s.indexOf('/'); i >= 0; i = s.indexOf('/', i + 1)) {
            levels++;
        }
        return levels;
    }
}
