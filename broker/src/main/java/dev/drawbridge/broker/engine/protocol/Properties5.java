package dev.drawbridge.broker.engine.protocol;

/**
 * The ids of the MQTT 5 properties the handlers act on; they read them with {@link
 * dev.drawbridge.broker.engine.codec.MessagePropertyCodec#unsigned}, with the spec's defaults.
 */
final class Properties5 {

    static final int SESSION_EXPIRY_INTERVAL = 0x11;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int MAXIMUM_PACKET_SIZE = 0x27;
    static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    static final int WILL_DELAY_INTERVAL = 0x18;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;

    private Properties5() {}
}
