package dev.drawbridge.broker.engine.protocol;

import io.netty.handler.codec.mqtt.MqttProperties;

/** Reading the MQTT 5 properties the engine acts on from Netty's decoded form, with the spec's defaults. */
final class Properties5 {

    static final int SESSION_EXPIRY_INTERVAL = 0x11;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int MAXIMUM_PACKET_SIZE = 0x27;
    static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    static final int WILL_DELAY_INTERVAL = 0x18;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;

    private Properties5() {}

    /** An unsigned integer property, or {@code absent} when it is not there. */
    static long unsigned(MqttProperties properties, int id, long absent) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(id);
        return p instanceof MqttProperties.IntegerProperty i ? Integer.toUnsignedLong(i.value()) : absent;
    }
}
