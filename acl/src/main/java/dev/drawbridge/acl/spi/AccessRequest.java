package dev.drawbridge.acl.spi;

import java.util.Objects;

/**
 * A client asking to publish to a topic, subscribe to a filter, or receive a message.
 *
 * @param identity who is asking
 * @param access what the client wants to do
 * @param topic a concrete topic name for {@link Access#PUBLISH} and {@link Access#READ}, a topic filter for
 *     {@link Access#SUBSCRIBE}; not validated here (rules deny what is malformed)
 * @param qos the message's or subscription's quality of service, 0 to 2
 * @param retain whether the message is retained (always false for {@link Access#SUBSCRIBE})
 */
public record AccessRequest(ClientIdentity identity, Access access, String topic, int qos, boolean retain) {

    /** Checks that nothing is null and that the QoS is 0, 1 or 2. */
    public AccessRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(topic, "topic");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos: expected 0, 1 or 2, found " + qos);
        }
    }
}
