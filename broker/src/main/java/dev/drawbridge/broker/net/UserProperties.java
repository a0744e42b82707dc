package dev.drawbridge.broker.net;

import dev.drawbridge.acl.spi.UserProperty;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.List;

/**
 * The MQTT 5 user properties of a decoded PUBLISH or will, as the plugin SPI shows them: {@link
 * MessagePropertyCodec#userProperties}, which bridges share, under the name the connect and packet admission call.
 */
final class UserProperties {

    private UserProperties() {}

    /** The user properties in the order the client sent them; an empty list when there are none (MQTT 3.1.1). */
    static List<UserProperty> of(MqttProperties properties) {
        return MessagePropertyCodec.userProperties(properties);
    }
}
