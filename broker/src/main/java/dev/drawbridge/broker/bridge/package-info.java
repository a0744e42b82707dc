/**
 * Bridges to other MQTT brokers, as Mosquitto's {@code connection} blocks describe them: what a bridge is configured
 * to do ({@link dev.drawbridge.broker.bridge.BridgeConfig}) and how its {@code topic} lines map topics between the two
 * brokers ({@link dev.drawbridge.broker.bridge.TopicMapping}), and the TLS client side of its connection
 * ({@link dev.drawbridge.broker.bridge.BridgeTls}). It may use the engine's public API; it never touches the
 * listener layer's channels, and it does not read the config file (the {@code conf} package builds these records).
 */
@NullMarked
package dev.drawbridge.broker.bridge;

import org.jspecify.annotations.NullMarked;
