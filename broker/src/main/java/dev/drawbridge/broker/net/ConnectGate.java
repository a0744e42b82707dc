package dev.drawbridge.broker.net;

import dev.drawbridge.acl.spi.UserProperty;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Decides, on the I/O thread, whether a CONNECT may reach the MQTT core. Must not block and must not throw. */
@FunctionalInterface
public interface ConnectGate {

    Verdict check(Attempt attempt);

    /**
     * A CONNECT as the gate sees it.
     *
     * @param listener the listener's description
     * @param remoteAddress peer address and port
     * @param remoteHost peer address without the port, for per-address limits
     * @param password the password bytes; never logged
     * @param peerCertificate the client's certificate, verified by the TLS handshake, on a TLS listener
     */
    record Attempt(
            String listener,
            String remoteAddress,
            String remoteHost,
            String clientId,
            Optional<String> username,
            Optional<byte[]> password,
            int protocolLevel,
            Optional<X509Certificate> peerCertificate) {

        @Override
        public String toString() {
            return "Attempt[" + clientId + " from " + remoteAddress + " on " + listener + ", username="
                    + username.orElse("<none>") + "]";
        }
    }

    /**
     * The gate's answer.
     *
     * @param reason why, for the log
     * @param delay how long to wait before answering a refusal (slows down password guessing)
     * @param admission what an accepted client may do; null when refused
     */
    record Verdict(
            boolean accepted,
            String reason,
            Duration delay,
            @Nullable Admission admission) {

        public static Verdict accept(Admission admission, String reason) {
            return new Verdict(true, reason, Duration.ZERO, admission);
        }

        public static Verdict refuse(String reason, Duration delay) {
            return new Verdict(false, reason, delay, null);
        }
    }

    /** An accepted client's rights, asked by its connection. Methods must not block and must not throw. */
    interface Admission {

        /** The identity the ACL sees (may differ from the CONNECT's username, e.g. a certificate's CN). */
        Optional<String> username();

        /**
         * Whether the client may publish this message; {@code userProperties} are its MQTT 5 user properties in the
         * order sent (empty for MQTT 3.1 / 3.1.1), which plugins may read.
         */
        boolean mayPublish(String topic, int qos, boolean retain, List<UserProperty> userProperties);

        /** The CONNACK went out: the client is connected; {@code disconnect} closes its connection. */
        default void connected(String clientId, boolean cleanSession, Runnable disconnect) {}

        /** The connection closed. */
        default void disconnected(String clientId) {}
    }
}
