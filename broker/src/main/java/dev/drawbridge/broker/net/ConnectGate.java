package dev.drawbridge.broker.net;

import java.util.Optional;

/** Decides, on the I/O thread, whether a CONNECT may reach the MQTT core. Must not block and must not throw. */
@FunctionalInterface
public interface ConnectGate {

    Verdict check(Attempt attempt);

    /**
     * A CONNECT as the gate sees it.
     *
     * @param listener the listener's description
     * @param remoteAddress peer address and port
     * @param password the password bytes; never logged
     */
    record Attempt(
            String listener,
            String remoteAddress,
            String clientId,
            Optional<String> username,
            Optional<byte[]> password,
            int protocolLevel) {

        @Override
        public String toString() {
            return "Attempt[" + clientId + " from " + remoteAddress + " on " + listener + ", username="
                    + username.orElse("<none>") + "]";
        }
    }

    /**
     * The gate's answer.
     *
     * @param username the identity the ACL will see (may differ from the CONNECT's, e.g. a certificate's CN)
     * @param reason why, for the log
     */
    record Verdict(boolean accepted, Optional<String> username, String reason) {

        public static Verdict accept(Optional<String> username, String reason) {
            return new Verdict(true, username, reason);
        }

        public static Verdict refuse(String reason) {
            return new Verdict(false, Optional.empty(), reason);
        }
    }
}
