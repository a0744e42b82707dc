package dev.drawbridge.broker.conf;

/**
 * What one client, or one source address, may hold or send, beyond the packet sizes, and how many sockets may be open
 * at once: the limits that keep a stranger from filling the broker's memory or log. All but {@code max_queued_bytes} are Drawbridge's own options.
 *
 * @param maxClientIdLength the longest client id, in bytes of UTF-8 (1-65535); a longer one gets CONNACK 0x02
 * @param maxTopicLength the longest topic name or filter, in bytes of UTF-8 (1-65535); a longer one closes the
 *     connection
 * @param maxTopicLevels the most {@code /}-separated levels of a topic name or filter (1-201); more close the connection
 * @param maxQueuedBytes payload bytes of QoS 1/2 messages queued per client, 0 for no limit
 * @param maxPendingConnectionsPerAddress sockets from one address that have not completed an accepted CONNECT, 0 for
 *     no limit
 * @param globalMaxConnections Mosquitto 2.1's {@code global_max_connections}: open client sockets across every
 *     listener, -1 for no limit
 */
public record ClientLimits(
        int maxClientIdLength,
        int maxTopicLength,
        int maxTopicLevels,
        int maxQueuedBytes,
        int maxPendingConnectionsPerAddress,
        int globalMaxConnections) {

    /** MQTT's longest string, and so its longest client id and topic. */
    public static final int MQTT_MAX_STRING = 65_535;

    /** Mosquitto refuses a topic or filter with more than 200 {@code /} separators: 201 levels pass, as here. */
    public static final int MAX_TOPIC_LEVELS = 201;

    public static final ClientLimits DEFAULTS = new ClientLimits(256, MQTT_MAX_STRING, MAX_TOPIC_LEVELS, 0, 16, -1);

    public ClientLimits {
        inRange("maxClientIdLength", maxClientIdLength, 1, MQTT_MAX_STRING);
        inRange("maxTopicLength", maxTopicLength, 1, MQTT_MAX_STRING);
        inRange("maxTopicLevels", maxTopicLevels, 1, MAX_TOPIC_LEVELS);
        inRange("maxQueuedBytes", maxQueuedBytes, 0, Integer.MAX_VALUE);
        inRange("maxPendingConnectionsPerAddress", maxPendingConnectionsPerAddress, 0, Integer.MAX_VALUE);
        inRange("globalMaxConnections", globalMaxConnections, -1, Integer.MAX_VALUE);
    }

    private static void inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + "-" + max + ", found " + value);
        }
    }
}
