package dev.drawbridge.broker.bridge;

import org.jspecify.annotations.Nullable;

/**
 * A bridge's TLS options name material that cannot be used: the message starts with the file and says why (for a
 * {@code FILE:LINE} error at start and for {@code --test-config}).
 */
public final class BridgeTlsException extends Exception {

    private static final long serialVersionUID = 1L;

    public BridgeTlsException(String message) {
        super(message);
    }

    public BridgeTlsException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
