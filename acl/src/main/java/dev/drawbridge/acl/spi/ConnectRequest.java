package dev.drawbridge.acl.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A client asking to connect. The password is binary (MQTT allows any bytes) and is copied in and out, so no caller can
 * change what another one sees; {@link #toString()} never shows it.
 *
 * @param identity who is connecting
 * @param password the password field from CONNECT, if the client sent one (possibly zero-length)
 */
public record ConnectRequest(ClientIdentity identity, Optional<byte[]> password) {

    /** Copies the password. */
    public ConnectRequest {
        Objects.requireNonNull(identity, "identity");
        password = Objects.requireNonNull(password, "password").map(byte[]::clone);
    }

    /**
     * A copy of the password bytes.
     *
     * @return a fresh copy each call, or empty when no password field was sent
     */
    @Override
    public Optional<byte[]> password() {
        return password.map(byte[]::clone);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ConnectRequest that
                && identity.equals(that.identity)
                && password.isPresent() == that.password.isPresent()
                && Arrays.equals(password.orElse(null), that.password.orElse(null));
    }

    @Override
    public int hashCode() {
        return 31 * identity.hashCode() + password.map(Arrays::hashCode).orElse(0);
    }

    /** Shows the identity and whether a password was sent, never the password. */
    @Override
    public String toString() {
        return "ConnectRequest[identity=" + identity + ", password="
                + (password.isPresent() ? "(" + password.get().length + " bytes, hidden)" : "(none)") + "]";
    }
}
