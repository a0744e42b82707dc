package dev.drawbridge.acl.spi;

import java.util.List;
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
 * @param userProperties the MQTT 5 user properties of the message a client publishes ({@link Access#PUBLISH} of a
 *     PUBLISH packet or of a will), in the order the client sent them; an immutable copy. Empty when the message has
 *     none, for MQTT 3.1 and 3.1.1 clients, for {@link Access#SUBSCRIBE} and for {@link Access#READ} (a READ decision is
 *     remembered per client and topic, so it cannot depend on one message)
 */
public record AccessRequest(
        ClientIdentity identity,
        Access access,
        String topic,
        int qos,
        boolean retain,
        List<UserProperty> userProperties) {

    /** Checks that nothing is null and that the QoS is 0, 1 or 2; copies the user properties. */
    public AccessRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(topic, "topic");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos: expected 0, 1 or 2, found " + qos);
        }
        userProperties = List.copyOf(Objects.requireNonNull(userProperties, "userProperties"));
    }

    /**
     * A request without user properties (what every MQTT 3.1 / 3.1.1 request is).
     *
     * @param identity who is asking
     * @param access what the client wants to do
     * @param topic the topic name or filter
     * @param qos the quality of service, 0 to 2
     * @param retain whether the message is retained
     */
    public AccessRequest(ClientIdentity identity, Access access, String topic, int qos, boolean retain) {
        this(identity, access, topic, qos, retain, List.of());
    }
}
