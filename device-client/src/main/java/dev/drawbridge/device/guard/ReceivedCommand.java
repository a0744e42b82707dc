package dev.drawbridge.device.guard;

import java.util.Objects;

/**
 * A message received on the command topic.
 *
 * @param topic where it arrived
 * @param payload its payload as UTF-8 text
 * @param retained whether the broker delivered it from its retained store
 */
public record ReceivedCommand(String topic, String payload, boolean retained) {

    public ReceivedCommand {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }
}
