package dev.drawbridge.broker.net;

import dev.drawbridge.acl.spi.UserProperty;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a CONNECT may reach the MQTT core. {@link #check} runs on the I/O thread: it must not block and must
 * not throw. A gate whose checks may block (a plugin's) decides in {@link #checkLater} on a thread of its own.
 */
@FunctionalInterface
public interface ConnectGate {

    Verdict check(Attempt attempt);

    /**
     * The same decision, completed on another thread where deciding may block; never completes exceptionally. The
     * default decides at once, on the caller's thread.
     */
    default CompletableFuture<Verdict> checkLater(Attempt attempt) {
        return CompletableFuture.completedFuture(check(attempt));
    }

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

        /** {@link #mayPublish}, completed on another thread where deciding may block; never exceptionally. */
        default CompletableFuture<Boolean> mayPublishLater(
                String topic, int qos, boolean retain, List<UserProperty> userProperties) {
            return CompletableFuture.completedFuture(mayPublish(topic, qos, retain, userProperties));
        }

        /**
         * Decides, where that may block, whether the client may subscribe to these filters, so that the MQTT core's
         * check of the SUBSCRIBE handed to it next finds the answers ready; completes when they are (never
         * exceptionally). The default has nothing to decide beforehand.
         */
        default CompletableFuture<Void> prepareSubscribe(List<String> filters) {
            return CompletableFuture.completedFuture(null);
        }

        /** The CONNACK went out: the client is connected; {@code disconnect} closes its connection. */
        default void connected(String clientId, boolean cleanSession, Runnable disconnect) {}

        /** The connection closed. */
        default void disconnected(String clientId) {}
    }
}
