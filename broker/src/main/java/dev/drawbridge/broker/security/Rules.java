package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.Access;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.Decision;
import dev.drawbridge.acl.spi.UserProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current rules of one listener, with the READ decisions already taken cached per client identity and topic. A
 * reload swaps the rules and drops the cache in one step.
 */
final class Rules {

    private static final Logger LOG = LoggerFactory.getLogger(Rules.class);
    private static final int MAX_CACHED_DECISIONS = 50_000;

    private record Generation(SecurityRules rules, Map<ReadKey, Boolean> reads, Map<WriteKey, Boolean> writes) {
        Generation(SecurityRules rules) {
            this(rules, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    // The keys spell out equals and hashCode: a record's generated ones go through method handles, which the C1-only
    // JIT of the small-box flags does not inline, and every message looks a key up.

    private record WriteKey(String clientId, Optional<String> username, String topic, int qos, boolean retain) {
        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof WriteKey k
                    && qos == k.qos
                    && retain == k.retain
                    && topic.equals(k.topic)
                    && clientId.equals(k.clientId)
                    && username.equals(k.username);
        }

        @Override
        public int hashCode() {
            return ((topic.hashCode() * 31 + clientId.hashCode()) * 31 + username.hashCode()) * 31
                    + qos * 2
                    + (retain ? 1 : 0);
        }
    }

    private record ReadKey(String clientId, Optional<String> username, String topic) {
        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof ReadKey k
                    && topic.equals(k.topic)
                    && clientId.equals(k.clientId)
                    && username.equals(k.username);
        }

        @Override
        public int hashCode() {
            return (topic.hashCode() * 31 + clientId.hashCode()) * 31 + username.hashCode();
        }
    }

    private final AtomicReference<Generation> current;

    Rules(SecurityRules rules) {
        this.current = new AtomicReference<>(new Generation(rules));
    }

    SecurityRules get() {
        return generation().rules();
    }

    private Generation generation() {
        return Objects.requireNonNull(current.get(), "always set");
    }

    /** Whether {@code identity} may receive a message on {@code topic}; cached, never throws. */
    boolean mayRead(ClientIdentity identity, String topic, int qos, boolean retain) {
        Generation generation = generation();
        if (generation.rules().isOpen() && !topic.startsWith("$share")) {
            return true;
        }
        ReadKey key = new ReadKey(identity.clientId(), identity.effectiveUsername(), topic);
        // Looked up before a decider is made: a capturing lambda per message costs an allocation on the hot path.
        Boolean known = generation.reads().get(key);
        if (known != null) {
            return known;
        }
        return cached(generation.reads(), key, () -> decideRead(generation.rules(), identity, topic, qos, retain));
    }

    private static boolean decideRead(
            SecurityRules rules, ClientIdentity identity, String topic, int qos, boolean retain) {
        Decision decision = rules.authorize(new AccessRequest(identity, Access.READ, topic, qos, retain));
        if (!decision.isAllowed()) {
            LOG.debug(
                    "Denied delivery to {} (user {}) of '{}': {}.",
                    identity.clientId(),
                    identity.effectiveUsername().orElse("<anonymous>"),
                    topic,
                    decision.reason());
        }
        return decision.isAllowed();
    }

    /** A decision from {@code cache}, or {@code decide}'s, remembered; the cache is emptied when it is full. */
    private static <K> boolean cached(Map<K, Boolean> cache, K key, BooleanSupplier decide) {
        Boolean known = cache.get(key);
        if (known != null) {
            return known;
        }
        boolean allowed = decide.getAsBoolean();
        if (cache.size() >= MAX_CACHED_DECISIONS) {
            cache.clear();
        }
        cache.put(key, allowed);
        return allowed;
    }

    /**
     * Whether {@code identity} may publish to {@code topic}. Cached like READ when no plugin is configured (the files'
     * answers depend only on who and which topic; a plugin may decide by time, so its answers are asked each time).
     */
    boolean mayPublish(
            ClientIdentity identity, String topic, int qos, boolean retain, List<UserProperty> userProperties) {
        Generation generation = generation();
        if (!generation.rules().hasPlugins()) {
            // The files' rules never read user properties: the answer is the same for every message.
            WriteKey key = new WriteKey(identity.clientId(), identity.effectiveUsername(), topic, qos, retain);
            Boolean known = generation.writes().get(key);
            if (known != null) {
                return known;
            }
            return cached(
                    generation.writes(),
                    key,
                    () -> decidePublish(generation.rules(), identity, topic, qos, retain, userProperties));
        }
        return decidePublish(generation.rules(), identity, topic, qos, retain, userProperties);
    }

    private static boolean decidePublish(
            SecurityRules rules,
            ClientIdentity identity,
            String topic,
            int qos,
            boolean retain,
            List<UserProperty> userProperties) {
        Decision d = rules.authorize(new AccessRequest(identity, Access.PUBLISH, topic, qos, retain, userProperties));
        if (!d.isAllowed()) {
            LOG.debug(
                    "Denied PUBLISH of {} (user {}) to '{}': {}.",
                    identity.clientId(),
                    identity.effectiveUsername().orElse("<anonymous>"),
                    topic,
                    d.reason());
        }
        return d.isAllowed();
    }

    /** Whether {@code identity} may subscribe to {@code filter}; not cached (subscriptions are rare). */
    boolean maySubscribe(ClientIdentity identity, String filter) {
        Decision decision = get().authorize(new AccessRequest(identity, Access.SUBSCRIBE, filter, 0, false));
        if (!decision.isAllowed()) {
            LOG.debug(
                    "Denied SUBSCRIBE of {} (user {}) to '{}': {}.",
                    identity.clientId(),
                    identity.effectiveUsername().orElse("<anonymous>"),
                    filter,
                    decision.reason());
        }
        return decision.isAllowed();
    }

    /**
     * Puts {@code fresh} in force, dropping the cached decisions in the same step, and returns the rules it replaced;
     * the caller closes those once no listener uses them.
     */
    SecurityRules swap(SecurityRules fresh) {
        return Objects.requireNonNull(current.getAndSet(new Generation(fresh)), "always set")
                .rules();
    }
}
