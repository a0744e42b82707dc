package dev.drawbridge.broker.net;

import dev.drawbridge.acl.spi.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** The MQTT 5 user properties of a decoded PUBLISH or will, as the plugin SPI shows them: no Netty type leaves here. */
final class UserProperties {

    private static final int USER_PROPERTY = 0x26;

    private UserProperties() {}

    /** The user properties in the order the client sent them; an empty list when there are none (MQTT 3.1.1). */
    static List<UserProperty> of(MqttProperties properties) {
        if (properties.isEmpty()) {
            return List.of();
        }
        List<UserProperty> pairs = new ArrayList<>();
        // Netty's decoder keeps each user property as it came; a built message may hold them as one list.
        for (Object property : properties.getProperties(USER_PROPERTY)) {
            if (property instanceof MqttProperties.UserProperty pair) {
                pairs.add(new UserProperty(pair.value().key, pair.value().value));
            } else if (property instanceof MqttProperties.UserProperties list) {
                for (MqttProperties.StringPair pair : list.value()) {
                    pairs.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        return List.copyOf(pairs);
    }
}
