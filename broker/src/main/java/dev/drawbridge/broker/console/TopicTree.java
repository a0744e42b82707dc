package dev.drawbridge.broker.console;

import dev.drawbridge.broker.engine.retained.RetainedCopy;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The retained messages as a tree of topic levels, answered one level at a time so that a house of 12,000 retained
 * messages never costs one big answer: a level lists at most {@link #MAX_CHILDREN} children, a prefix search at most
 * {@link #MAX_FOUND} topics, each with how many more there are. Only what {@code readable} lets through is listed or
 * counted; a level's walk is MQTT's {@code path/#} (the root's is {@code #}, which skips {@code $} topics).
 */
final class TopicTree {

    static final int MAX_CHILDREN = 300;
    static final int MAX_FOUND = 200;
    /** How much of a payload is copied for its preview. */
    static final int PREVIEW_BYTES = 160;

    /** The engine's retained messages matching a filter, copied with at most so many payload bytes. */
    @FunctionalInterface
    interface Source {
        List<RetainedCopy> retained(String filter, int previewBytes);
    }

    /**
     * One child of a level.
     *
     * @param count the readable retained messages at this topic and below it
     * @param message this topic's own retained message, with its preview, when it has one
     * @param hasChildren whether a readable retained message lies below it
     */
    record Child(String level, String topic, int count, Optional<RetainedCopy> message, boolean hasChildren) {}

    /**
     * One level: {@code path}'s own message, its children (the first {@link #MAX_CHILDREN} by name) and how many
     * children were left out.
     */
    record Level(String path, int total, Optional<RetainedCopy> message, List<Child> children, int more) {}

    /** The topics starting with a prefix, the first {@link #MAX_FOUND} by name, and how many match in all. */
    record Found(String prefix, List<RetainedCopy> topics, int total) {}

    private TopicTree() {}

    /** Why {@code path} cannot be a level of the tree, or null: it is empty (the root) or a topic name. */
    static @Nullable String pathError(String path) {
        return path.isEmpty() ? null : TopicFilters.topicNameError(path);
    }

    static Level level(String path, Source source, Predicate<RetainedCopy> readable) {
        String filter = path.isEmpty() ? "#" : path + "/#";
        int skip = path.isEmpty() ? 0 : path.length() + 1;
        Map<String, int[]> counts = new TreeMap<>(); // level -> {messages at or below, own message, below}
        int total = 0;
        boolean own = false;
        for (RetainedCopy copy : source.retained(filter, 0)) {
            if (!readable.test(copy)) {
                continue;
            }
            total++;
            if (copy.topic().length() < skip) {
                own = true; // "a/#" matches "a"
                continue;
            }
            String rest = copy.topic().substring(skip);
            int slash = rest.indexOf('/');
            int[] c = counts.computeIfAbsent(slash < 0 ? rest : rest.substring(0, slash), k -> new int[3]);
            c[0]++;
            c[slash < 0 ? 1 : 2] = 1;
        }
        List<Child> children = new ArrayList<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            if (children.size() == MAX_CHILDREN) {
                break;
            }
            String topic = path.isEmpty() ? e.getKey() : path + "/" + e.getKey();
            int[] c = e.getValue();
            Optional<RetainedCopy> message = c[1] == 1 ? preview(topic, source, readable) : Optional.empty();
            children.add(new Child(e.getKey(), topic, c[0], message, c[2] == 1));
        }
        Optional<RetainedCopy> message = own ? preview(path, source, readable) : Optional.empty();
        return new Level(path, total, message, List.copyOf(children), counts.size() - children.size());
    }

    /** Why {@code prefix} cannot be searched, or null. */
    static @Nullable String prefixError(String prefix) {
        if (prefix.isEmpty()) {
            return "the prefix is empty; expected the start of a topic name";
        }
        if (prefix.indexOf('+') >= 0 || prefix.indexOf('#') >= 0 || prefix.indexOf('\0') >= 0) {
            return "a prefix is the start of a topic name, without '+', '#' or U+0000; found \"" + prefix + "\"";
        }
        return null;
    }

    /**
     * The topics that start with {@code prefix}. Its levels before the last '/' are walked as {@code those/#}; with no
     * '/', as {@code #}, which skips {@code $} topics, unless it starts with {@code $}: then it names a whole first
     * level ({@code $SYS}).
     */
    static Found found(String prefix, Source source, Predicate<RetainedCopy> readable) {
        int slash = prefix.lastIndexOf('/');
        String filter;
        if (slash >= 0) {
            filter = prefix.substring(0, slash) + "/#";
        } else {
            filter = TopicFilters.isDollarTopic(prefix) ? prefix + "/#" : "#";
        }
        List<RetainedCopy> matching = new ArrayList<>();
        for (RetainedCopy copy : source.retained(filter, 0)) {
            if (copy.topic().startsWith(prefix) && readable.test(copy)) {
                matching.add(copy);
            }
        }
        matching.sort(Comparator.comparing(RetainedCopy::topic));
        List<RetainedCopy> shown = new ArrayList<>();
        for (RetainedCopy copy : matching.subList(0, Math.min(MAX_FOUND, matching.size()))) {
            shown.add(preview(copy.topic(), source, readable).orElse(copy));
        }
        return new Found(prefix, List.copyOf(shown), matching.size());
    }

    /** The message of one topic with its preview; empty when it was cleared meanwhile. */
    private static Optional<RetainedCopy> preview(String topic, Source source, Predicate<RetainedCopy> readable) {
        try {
            return source.retained(topic, PREVIEW_BYTES).stream()
                    .filter(readable)
                    .findFirst();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a topic that is no filter ($share/...): listed without its preview
        }
    }
}
