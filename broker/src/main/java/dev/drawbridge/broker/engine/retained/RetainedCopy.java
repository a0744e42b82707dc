package dev.drawbridge.broker.engine.retained;

/**
 * A retained message copied out for reading (the console's topic tree): its topic, QoS, size, the first bytes of its
 * payload and its MQTT 5 properties, owing nothing to the engine's buffers.
 *
 * @param payloadStart at most the number of bytes asked for, from the start of the payload
 * @param properties the forwarded MQTT 5 properties as encoded (see {@code MessagePropertyCodec}); empty for none
 */
public record RetainedCopy(String topic, int qos, int payloadSize, byte[] payloadStart, byte[] properties) {}
