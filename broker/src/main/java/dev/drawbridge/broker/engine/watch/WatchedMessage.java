package dev.drawbridge.broker.engine.watch;

/**
 * A message a watch was sent, copied out of the engine's buffers.
 *
 * @param payloadStart at most the watch's preview size, from the start of the payload
 * @param properties the MQTT 5 properties of the delivery as encoded (see {@code PropertyText}); empty for none
 */
public record WatchedMessage(
        String topic, int qos, boolean retain, int payloadSize, byte[] payloadStart, byte[] properties) {}
