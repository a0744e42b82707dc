package dev.drawbridge.acl.spi;

import java.util.Objects;

/**
 * One MQTT 5 user property of a message (MQTT 5 section 3.3.2.3.7): a name and a value, both UTF-8 text chosen by the
 * publisher. A message may carry the same name more than once; the broker keeps them in the order they were sent.
 *
 * @param key the property's name, possibly empty
 * @param value the property's value, possibly empty
 */
public record UserProperty(String key, String value) {

    /** Checks that nothing is null. */
    public UserProperty {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
