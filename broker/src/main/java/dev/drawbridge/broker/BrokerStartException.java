package dev.drawbridge.broker;

import org.jspecify.annotations.Nullable;

/** The broker could not start: a port in use, an unreadable store. The message says which and why. */
public final class BrokerStartException extends Exception {

    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
