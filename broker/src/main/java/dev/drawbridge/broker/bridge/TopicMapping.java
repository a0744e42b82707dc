package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.topic.TopicFilters;
import java.util.List;
import java.util.Optional;

/**
 * One {@code topic PATTERN [[[out|in|both] QOS] LOCAL_PREFIX REMOTE_PREFIX]} line of a bridge, with Mosquitto 2.0's
 * meaning (its {@code bridge__add_topic} and {@code bridge__remap_topic_in} in {@code src/bridge_topic.c}, and the
 * outgoing remap in {@code send__publish} of {@code lib/send_publish.c}).
 *
 * <p>The bridge subscribes locally to {@link #localFilter()} (directions out and both) and on the remote broker to
 * {@link #remoteFilter()} (in and both). A message matching a filter loses that side's prefix, if it starts with it,
 * and gains the other side's.
 *
 * @param pattern the topic filter; empty for Mosquitto's {@code ""} placeholder, which needs both prefixes and makes
 *     each prefix alone the filter
 * @param qos the QoS of both subscriptions (bounded by what each broker grants)
 * @param localPrefix prepended on this broker; empty for none (written {@code ""})
 * @param remotePrefix prepended on the remote broker; empty for none
 */
public record TopicMapping(
        Optional<String> pattern,
        Direction direction,
        int qos,
        Optional<String> localPrefix,
        Optional<String> remotePrefix) {

    /** Which way messages flow: {@code out} to the remote broker (Mosquitto's default), {@code in} from it, or both. */
    public enum Direction {
        OUT,
        IN,
        BOTH;

        boolean outgoing() {
            return this != IN;
        }

        boolean incoming() {
            return this != OUT;
        }
    }

    public TopicMapping {
        String problem = problem(pattern, qos, localPrefix, remotePrefix).orElse(null);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** {@code topic PATTERN}: out, QoS 0, no prefixes. */
    public static TopicMapping out(String pattern) {
        return new TopicMapping(Optional.of(pattern), Direction.OUT, 0, Optional.empty(), Optional.empty());
    }

    /**
     * Why these values make no mapping, or empty if they do. Mosquitto refuses a prefix with {@code +} or {@code #}, a
     * prefix that with the pattern makes no valid filter, and {@code ""} as the pattern without both prefixes.
     * Drawbridge also refuses a pattern that is no valid filter by itself (Mosquitto 2.0.11 accepts it and fails later,
     * when the bridge subscribes).
     */
    public static Optional<String> problem(
            Optional<String> pattern, int qos, Optional<String> localPrefix, Optional<String> remotePrefix) {
        if (qos < 0 || qos > 2) {
            return Optional.of("expected a QoS 0, 1 or 2, found " + qos);
        }
        for (var prefix : List.of(localPrefix, remotePrefix)) {
            if (prefix.isPresent() && prefix.get().isEmpty()) {
                return Optional.of("a prefix is never empty; write \"\" for none");
            }
        }
        Optional<String> local = prefixProblem("local", localPrefix);
        Optional<String> remote = prefixProblem("remote", remotePrefix);
        if (local.isPresent() || remote.isPresent()) {
            return local.or(() -> remote);
        }
        if (pattern.isEmpty()) {
            return localPrefix.isPresent() && remotePrefix.isPresent()
                    ? Optional.empty()
                    : Optional.of("the pattern \"\" needs both a local and a remote prefix");
        }
        String error = TopicFilters.filterError(pattern.get());
        if (error != null) {
            return Optional.of("pattern '" + pattern.get() + "': " + error);
        }
        return combinedProblem("local", localPrefix, pattern.get())
                .or(() -> combinedProblem("remote", remotePrefix, pattern.get()));
    }

    private static Optional<String> combinedProblem(String side, Optional<String> prefix, String pattern) {
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        String filter = prefix.get() + pattern;
        String error = TopicFilters.filterError(filter);
        return error == null
                ? Optional.empty()
                : Optional.of(side + " prefix and pattern make '" + filter + "': " + error);
    }

    private static Optional<String> prefixProblem(String side, Optional<String> prefix) {
        if (prefix.isPresent() && (prefix.get().contains("+") || prefix.get().contains("#"))) {
            return Optional.of(side + " prefix '" + prefix.get() + "' must not contain + or #");
        }
        return Optional.empty();
    }

    /** What the bridge subscribes to on this broker (used for directions out and both). */
    public String localFilter() {
        return filter(localPrefix);
    }

    /** What the bridge subscribes to on the remote broker (used for directions in and both). */
    public String remoteFilter() {
        return filter(remotePrefix);
    }

    private String filter(Optional<String> prefix) {
        // A "" pattern has both prefixes (checked above), so the prefix alone is the filter.
        return prefix.map(p -> p + pattern.orElse("")).orElseGet(pattern::orElseThrow);
    }

    /** The QoS of a subscription to a broker that grants at most {@code maximumQos}. */
    public int subscriptionQos(int maximumQos) {
        return Math.min(qos, maximumQos);
    }

    /** The remote topic of a local one this mapping sends out; empty if it sends nothing of that topic. */
    public Optional<String> toRemote(String localTopic) {
        if (!direction.outgoing() || !TopicMatch.matches(localFilter(), localTopic)) {
            return Optional.empty();
        }
        return Optional.of(swap(localTopic, localPrefix, remotePrefix));
    }

    /** The local topic of a remote one this mapping brings in; empty if it brings nothing of that topic. */
    public Optional<String> toLocal(String remoteTopic) {
        if (!direction.incoming() || !TopicMatch.matches(remoteFilter(), remoteTopic)) {
            return Optional.empty();
        }
        return Optional.of(swap(remoteTopic, remotePrefix, localPrefix));
    }

    /**
     * Mosquitto removes the prefix only when the topic starts with it: {@code l/#} also matches {@code l} itself, which
     * then keeps its name and gains the other prefix.
     */
    private static String swap(String topic, Optional<String> from, Optional<String> to) {
        String stripped = from.filter(topic::startsWith)
                .map(p -> topic.substring(p.length()))
                .orElse(topic);
        return to.map(p -> p + stripped).orElse(stripped);
    }

    /**
     * The topic a local message is sent to the remote broker under: that of the first mapping with a prefix that sends
     * it, else unchanged (Mosquitto's loop over the bridge's topics in {@code send__publish}).
     */
    public static String remoteTopic(List<TopicMapping> mappings, String localTopic) {
        return remap(mappings, localTopic, true);
    }

    /** The topic a message from the remote broker is published under here, by the same rule the other way. */
    public static String localTopic(List<TopicMapping> mappings, String remoteTopic) {
        return remap(mappings, remoteTopic, false);
    }

    private static String remap(List<TopicMapping> mappings, String topic, boolean out) {
        for (TopicMapping m : mappings) {
            if (m.localPrefix.isEmpty() && m.remotePrefix.isEmpty()) {
                continue; // no remapping: Mosquitto skips these here
            }
            Optional<String> mapped = out ? m.toRemote(topic) : m.toLocal(topic);
            if (mapped.isPresent()) {
                return mapped.get();
            }
        }
        return topic;
    }
}
