package dev.drawbridge.broker.net;

import java.util.Set;

/**
 * What the front handler of one listener needs, already resolved from the configuration.
 *
 * @param description how log lines name the listener
 * @param gate who may connect here
 * @param maxKeepalive the largest keepalive accepted, in seconds
 * @param messageSizeLimit the largest PUBLISH payload accepted, 0 for no limit
 * @param connectionMessages whether connects and disconnects are logged
 * @param allowZeroLengthClientId whether a client may leave the id to the broker (clean sessions only)
 * @param maxClientIdLength the longest client id accepted, in bytes of UTF-8
 * @param topicLimits how long and deep a topic from a client may be
 * @param pending the sockets that have not completed an accepted CONNECT, per address (one for every listener)
 * @param protocolLevels the CONNECT protocol levels this listener accepts ({@code accept_protocol_versions})
 * @param autoIdPrefix how a client id the broker generates starts ({@code listener_auto_id_prefix})
 * @param maxPacketSize the largest packet a client may send, announced in an MQTT 5 CONNACK; 0 to announce none
 * @param topicAliasMaximum the topic aliases an MQTT 5 client may set (Mosquitto's {@code max_topic_alias})
 * @param retainAvailable whether clients may publish retained messages ({@code retain_available})
 * @param mountPoint the listener's {@code mount_point}: put before its clients' topics, taken off what they are sent;
 *     empty for none
 * @param maxQos the highest QoS a client may publish, subscribe or leave a will at ({@code max_qos})
 * @param topicAliasesToClient the most topic aliases the broker sets toward an MQTT 5 client that allows them
 *     (Mosquitto 2.1's {@code max_topic_alias_broker}), 0 for none
 */
public record ListenerSettings(
        String description,
        ConnectGate gate,
        int maxKeepalive,
        int messageSizeLimit,
        boolean connectionMessages,
        boolean allowZeroLengthClientId,
        int maxClientIdLength,
        TopicLimits topicLimits,
        PendingConnections pending,
        Set<Integer> protocolLevels,
        String autoIdPrefix,
        int maxPacketSize,
        int topicAliasMaximum,
        boolean retainAvailable,
        String mountPoint,
        int maxQos,
        int topicAliasesToClient) {

    public ListenerSettings {
        protocolLevels = Set.copyOf(protocolLevels);
    }
}
