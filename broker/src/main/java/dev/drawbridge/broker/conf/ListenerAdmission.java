package dev.drawbridge.broker.conf;

import java.util.List;
import java.util.Set;

/**
 * What one listener lets in, from Mosquitto 2.1's per-listener options.
 *
 * @param protocolLevels {@code accept_protocol_versions}: the CONNECT protocol levels allowed (3 is MQTT 3.1, 4 is
 *     3.1.1, 5 is 5.0); default all three
 * @param autoIdPrefix {@code listener_auto_id_prefix} (or the older {@code auto_id_prefix}): how a client id the
 *     broker generates starts; default {@code auto-}
 * @param websocketOrigins {@code websockets_origin}: the HTTP {@code Origin} values a WebSocket upgrade may carry;
 *     empty allows any
 * @param mountPoint {@code mount_point}: the prefix put before the topics of this listener's clients, taken off the
 *     topics they are sent; empty for none
 */
public record ListenerAdmission(
        Set<Integer> protocolLevels, String autoIdPrefix, List<String> websocketOrigins, String mountPoint) {

    public static final Set<Integer> ALL_LEVELS = Set.of(3, 4, 5);
    public static final ListenerAdmission DEFAULTS = new ListenerAdmission(ALL_LEVELS, "auto-", List.of());

    /** Without a mount point. */
    public ListenerAdmission(Set<Integer> protocolLevels, String autoIdPrefix, List<String> websocketOrigins) {
        this(protocolLevels, autoIdPrefix, websocketOrigins, "");
    }

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
    }
}
