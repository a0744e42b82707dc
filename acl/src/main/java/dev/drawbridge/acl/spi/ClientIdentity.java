package dev.drawbridge.acl.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a client is, as far as the authentication and authorization rules are concerned.
 *
 * <p>Mosquitto treats a zero-length username exactly like no username (an anonymous client); this record keeps what the
 * client sent, and the rules apply that equivalence.
 *
 * @param clientId the MQTT client identifier (possibly assigned by the broker)
 * @param username the username from CONNECT, if the client sent one
 * @param certificate the peer certificate's identity, if the client presented one over TLS
 * @param listener the name of the listener the client connected to, for example {@code 8883}
 * @param remoteAddress the peer's address as text, for example {@code 192.0.2.7:51234}; for logs only
 * @param protocolLevel the MQTT protocol level from CONNECT: 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5)
 */
public record ClientIdentity(
        String clientId,
        Optional<String> username,
        Optional<CertificateIdentity> certificate,
        String listener,
        String remoteAddress,
        int protocolLevel) {

    /** Checks that nothing is null and that the protocol level is 3, 4 or 5. */
    public ClientIdentity {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (protocolLevel < 3 || protocolLevel > 5) {
            throw new IllegalArgumentException("protocolLevel: expected 3, 4 or 5, found " + protocolLevel);
        }
    }

    /**
     * The username Mosquitto would see: absent when the client sent none or a zero-length one.
     *
     * @return the username, or empty for an anonymous client
     */
    public Optional<String> effectiveUsername() {
        return username.filter(name -> !name.isEmpty());
    }
}
