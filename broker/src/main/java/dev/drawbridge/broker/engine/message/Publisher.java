package dev.drawbridge.broker.engine.message;

import java.util.Objects;
import java.util.Optional;

/**
 * Who published a message, kept with a retained message (and in the store) so that {@code check_retain_source} can ask
 * later whether this publisher may still write its topic, as Mosquitto keeps a retained message's source id, username
 * and listener.
 *
 * @param clientId the publisher's client id
 * @param username the username its rules were chosen by (from a certificate, when its listener takes it from there)
 * @param listener the name of the listener it came through, whose rules apply to it
 */
public record Publisher(String clientId, Optional<String> username, String listener) {

    public Publisher {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(listener, "listener");
    }
}
