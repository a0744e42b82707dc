package dev.drawbridge.broker.engine.session;

/**
 * What a client's CONNECT said about the packets it takes: its protocol level and, for MQTT 5, its receive maximum,
 * maximum packet size and topic alias maximum (MQTT 5 section 3.1.2.11).
 *
 * @param level 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5
 * @param receiveMaximum QoS 1/2 deliveries it takes unacknowledged at a time, 1 to 65,535
 * @param maximumPacketSize the largest packet it takes, in bytes; 0 for no limit
 * @param topicAliasMaximum the topic aliases the broker may set toward it, 0 to 65,535 (its own maximum, already
 *     lowered to what the listener allows)
 */
public record ClientProtocol(int level, int receiveMaximum, long maximumPacketSize, int topicAliasMaximum) {

    /** An MQTT 3.1.1 client: no limits of its own. */
    public static final ClientProtocol MQTT_311 = new ClientProtocol(4, 65_535, 0, 0);

    public ClientProtocol {
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("receiveMaximum must be 1 to 65535, found " + receiveMaximum);
        }
        if (maximumPacketSize < 0) {
            throw new IllegalArgumentException("maximumPacketSize must not be negative");
        }
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535 || (topicAliasMaximum > 0 && level != 5)) {
            throw new IllegalArgumentException(
                    "topicAliasMaximum must be 0 to 65535, and 0 below MQTT 5, found " + topicAliasMaximum);
        }
    }

    /** Whether it speaks MQTT 5 (properties and reason codes in its packets). */
    public boolean v5() {
        return level == 5;
    }

    /** Whether a packet of this many bytes may be sent to it. */
    boolean takes(long packetSize) {
        return maximumPacketSize == 0 || packetSize <= maximumPacketSize;
    }
}
