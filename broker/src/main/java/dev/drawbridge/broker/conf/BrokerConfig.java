package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.bridge.BridgeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the broker needs to start, as read from {@code mosquitto.conf} (or built in code).
 *
 * @param listeners at least one listener
 * @param localOnly true when nothing was configured: Mosquitto 2.0's local-only mode
 * @param maxPacketSize the largest packet a client may send, in bytes
 * @param messageSizeLimit the largest PUBLISH payload, in bytes; 0 for no limit beyond {@code maxPacketSize}
 * @param maxInflightMessages QoS 1/2 messages in flight per client (sent, not yet acknowledged); 0 for no limit
 * @param maxQueuedMessages QoS 1/2 messages queued per client beyond its in-flight window, 0 for no limit
 * @param maxKeepalive the largest keepalive a client may ask for, in seconds
 * @param sysInterval how often {@code $SYS} is published; zero turns it off
 * @param mdns Drawbridge's own {@code mdns} option: advertise the listeners on the LAN by multicast DNS
 * @param clientLimits client id, topic, queued bytes and pending connection limits
 * @param delivery {@code upgrade_outgoing_qos} and {@code check_retain_source}
 * @param bridges the {@code connection} blocks, in file order
 * @param consoles the listeners with {@code protocol http_api}, in file order: they serve the console, not MQTT
 * @param warnings lines that were accepted but ignored, each {@code FILE:LINE: reason}
 */
public record BrokerConfig(
        List<ListenerConfig> listeners,
        boolean localOnly,
        boolean allowZeroLengthClientId,
        int maxPacketSize,
        int messageSizeLimit,
        int maxInflightMessages,
        int maxQueuedMessages,
        int maxKeepalive,
        boolean retainAvailable,
        PersistenceConfig persistence,
        LogConfig log,
        Optional<Path> pidFile,
        Duration sysInterval,
        boolean mdns,
        ClientLimits clientLimits,
        DeliveryOptions delivery,
        List<BridgeConfig> bridges,
        List<ConsoleConfig> consoles,
        List<String> warnings) {

    /** MQTT 3.1.1's largest remaining length: the highest {@code max_packet_size} allowed (Mosquitto 2.0's default). */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_455;

    /**
     * Mosquitto 2.1's default {@code max_packet_size}: one client can no longer make the broker buffer 256 MB, which
     * on a Raspberry Pi is the whole heap. Larger payloads need {@code max_packet_size} set.
     */
    public static final int DEFAULT_MAX_PACKET_SIZE = 2_000_000;

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        bridges = List.copyOf(bridges);
        consoles = List.copyOf(consoles);
        warnings = List.copyOf(warnings);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("a broker needs at least one listener");
        }
    }

    /** Mosquitto 2.0 with no configuration: MQTT on 127.0.0.1:1883, anonymous, nothing persisted. */
    public static BrokerConfig localOnly(int port) {
        return defaults(List.of(ListenerConfig.plain(port, "127.0.0.1", SecurityConfig.anonymous())), true);
    }

    /** The given listeners with Mosquitto's defaults for everything else. */
    public static BrokerConfig defaults(List<ListenerConfig> listeners, boolean localOnly) {
        return new BrokerConfig(
                listeners,
                localOnly,
                true,
                DEFAULT_MAX_PACKET_SIZE,
                0,
                20,
                1000,
                65535,
                true,
                PersistenceConfig.disabled(),
                LogConfig.defaults(),
                Optional.empty(),
                Duration.ofSeconds(10),
                false,
                ClientLimits.DEFAULTS,
                DeliveryOptions.DEFAULTS,
                List.of(),
                List.of(),
                List.of());
    }

    public BrokerConfig withListeners(List<ListenerConfig> newListeners) {
        return new BrokerConfig(
                newListeners,
                localOnly,
                allowZeroLengthClientId,
                maxPacketSize,
                messageSizeLimit,
                maxInflightMessages,
                maxQueuedMessages,
                maxKeepalive,
                retainAvailable,
                persistence,
                log,
                pidFile,
                sysInterval,
                mdns,
                clientLimits,
                delivery,
                bridges,
                consoles,
                warnings);
    }

    public BrokerConfig withPersistence(PersistenceConfig newPersistence) {
        return new BrokerConfig(
                listeners,
                localOnly,
                allowZeroLengthClientId,
                maxPacketSize,
                messageSizeLimit,
                maxInflightMessages,
                maxQueuedMessages,
                maxKeepalive,
                retainAvailable,
                newPersistence,
                log,
                pidFile,
                sysInterval,
                mdns,
                clientLimits,
                delivery,
                bridges,
                consoles,
                warnings);
    }

    public BrokerConfig withSysInterval(Duration newSysInterval) {
        return new BrokerConfig(
                listeners,
                localOnly,
                allowZeroLengthClientId,
                maxPacketSize,
                messageSizeLimit,
                maxInflightMessages,
                maxQueuedMessages,
                maxKeepalive,
                retainAvailable,
                persistence,
                log,
                pidFile,
                newSysInterval,
                mdns,
                clientLimits,
                delivery,
                bridges,
                consoles,
                warnings);
    }

    public BrokerConfig withClientLimits(ClientLimits newClientLimits) {
        return new BrokerConfig(
                listeners,
                localOnly,
                allowZeroLengthClientId,
                maxPacketSize,
                messageSizeLimit,
                maxInflightMessages,
                maxQueuedMessages,
                maxKeepalive,
                retainAvailable,
                persistence,
                log,
                pidFile,
                sysInterval,
                mdns,
                newClientLimits,
                delivery,
                bridges,
                consoles,
                warnings);
    }

    public BrokerConfig withMdns(boolean newMdns) {
        return new BrokerConfig(
                listeners,
                localOnly,
                allowZeroLengthClientId,
                maxPacketSize,
                messageSizeLimit,
                maxInflightMessages,
                maxQueuedMessages,
                maxKeepalive,
                retainAvailable,
                persistence,
                log,
                pidFile,
                sysInterval,
                newMdns,
                clientLimits,
                delivery,
                bridges,
                consoles,
                warnings);
    }
}
