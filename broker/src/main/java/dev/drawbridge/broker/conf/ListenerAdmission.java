package dev.drawbridge.broker.conf;

import java.util.List;
import java.util.Set;

/**
 * What one listener lets in, and how many topic aliases it sets toward clients: Mosquitto's per-listener options (those
 * new in 2.1 among them).
 *
 * @param protocolLevels {@code accept_protocol_versions}: the CONNECT protocol levels allowed (3 is MQTT 3.1, 4 is
 *     3.1.1, 5 is 5.0); default all three
 * @param autoIdPrefix {@code listener_auto_id_prefix} (or the older {@code auto_id_prefix}): how a client id the
 *     broker generates starts; default {@code auto-}
 * @param websocketOrigins {@code websockets_origin}: the HTTP {@code Origin} values a WebSocket upgrade may carry;
 *     empty allows any
 * @param mountPoint {@code mount_point}: the prefix put before the topics of this listener's clients, taken off the
 *     topics they are sent; empty for none
 * @param maxQos {@code max_qos} (or {@code maximum_qos}): the highest QoS a client may publish, subscribe or leave a
 *     will at, and the highest it is sent at; default 2
 * @param maxTopicAlias {@code max_topic_alias}: the topic aliases an MQTT 5 client may set; default 10, 0 for none
 * @param maxTopicAliasBroker Mosquitto 2.1's {@code max_topic_alias_broker}: the most topic aliases the broker sets
 *     toward an MQTT 5 client that allows them; default 10, 0 for none
 */
public record ListenerAdmission(
        Set<Integer> protocolLevels,
        String autoIdPrefix,
        List<String> websocketOrigins,
        String mountPoint,
        int maxQos,
        int maxTopicAlias,
        int maxTopicAliasBroker) {

    public static final Set<Integer> ALL_LEVELS = Set.of(3, 4, 5);
    /** Mosquitto's default {@code max_topic_alias} and (2.1) {@code max_topic_alias_broker}. */
    public static final int DEFAULT_TOPIC_ALIASES = 10;

    public static final ListenerAdmission DEFAULTS = new ListenerAdmission(ALL_LEVELS, "auto-", List.of());

    public ListenerAdmission {
        protocolLevels = Set.copyOf(protocolLevels);
        websocketOrigins = List.copyOf(websocketOrigins);
        if (protocolLevels.isEmpty() || !ALL_LEVELS.containsAll(protocolLevels)) {
            throw new IllegalArgumentException(
                    "protocolLevels must be a non-empty subset of 3, 4, 5, found " + protocolLevels);
        }
        if (autoIdPrefix.isEmpty()) {
            throw new IllegalArgumentException("autoIdPrefix must not be empty");
        }
        if (mountPoint.contains("+") || mountPoint.contains("#")) {
            throw new IllegalArgumentException("mountPoint must not hold + or #, found '" + mountPoint + "'");
        }
        if (maxQos < 0 || maxQos > 2) {
            throw new IllegalArgumentException("maxQos must be 0-2, found " + maxQos);
        }
        if (maxTopicAlias < 0 || maxTopicAlias > 65_535 || maxTopicAliasBroker < 0 || maxTopicAliasBroker > 65_535) {
            throw new IllegalArgumentException(
                    "topic alias maximums must be 0-65535, found " + maxTopicAlias + " and " + maxTopicAliasBroker);
        }
    }

    /** Without a mount point, with Mosquitto's defaults for QoS and topic aliases. */
    public ListenerAdmission(Set<Integer> protocolLevels, String autoIdPrefix, List<String> websocketOrigins) {
        this(protocolLevels, autoIdPrefix, websocketOrigins, "", 2, DEFAULT_TOPIC_ALIASES, DEFAULT_TOPIC_ALIASES);
    }
}
