package dev.drawbridge.broker.security;

import java.util.Optional;

/**
 * A connected client as its login made it known, for the console's client list.
 *
 * @param username the name it logged in with: the CONNECT's username, or the certificate's name on a listener with
 *     {@code use_identity_as_username}/{@code use_subject_as_username}
 * @param certificateSubject the subject of the client certificate it presented, if it did
 * @param listener the listener it connected to, by port
 * @param remoteAddress where it connected from
 * @param protocolLevel 3 (MQTT 3.1), 4 (3.1.1) or 5
 */
public record ConnectedClient(
        String clientId,
        Optional<String> username,
        Optional<String> certificateSubject,
        String listener,
        String remoteAddress,
        int protocolLevel) {}
