package dev.drawbridge.broker.tls;

import org.jspecify.annotations.Nullable;

/** TLS material that cannot be used; the message names the file and the problem. */
public final class TlsException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
