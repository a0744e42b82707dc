/**
 * Bridges to other MQTT brokers, as Mosquitto's {@code connection} blocks describe them: what a bridge is configured
 * to do ({@link dev.drawbridge.broker.bridge.BridgeConfig}), how its {@code topic} lines map topics between the two
 * brokers ({@link dev.drawbridge.broker.bridge.TopicMapping}), the TLS client side of its connection ({@link
 * dev.drawbridge.broker.bridge.BridgeTls}), and running them ({@link dev.drawbridge.broker.bridge.Bridges}): a small
 * MQTT client of the remote broker on Netty's MQTT codec, relayed to an in-process client of the engine. It uses the
 * engine's public API and the security package's bridge rights; it never touches the listener layer's channels, and it
 * does not read the config file (the {@code conf} package builds these records).
 */
@NullMarked
package dev.drawbridge.broker.bridge;

import org.jspecify.annotations.NullMarked;
