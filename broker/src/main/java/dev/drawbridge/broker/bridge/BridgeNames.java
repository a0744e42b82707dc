package dev.drawbridge.broker.bridge;

/**
 * A bridge's names on this machine: its client ids on the remote broker and here, and its notification topic, with
 * Mosquitto's defaults made from the host name.
 */
record BridgeNames(String remoteClientId, String localClientId, String notificationTopic) {

    static BridgeNames of(BridgeConfig config, String hostname) {
        return new BridgeNames(
                config.remoteClientId(hostname), config.localClientId(hostname), config.notificationTopic(hostname));
    }
}
