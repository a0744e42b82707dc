package dev.drawbridge.broker.net;

/**
 * A PUBLISH the front handler refused (no right to write the topic, or over {@code message_size_limit}) that must
 * still be acknowledged, as MQTT 3.1.1 cannot say "denied" (Mosquitto does the same).
 *
 * @param qos 1 or 2
 */
record DroppedPublish(int qos, int packetId, int reasonCode) {}
