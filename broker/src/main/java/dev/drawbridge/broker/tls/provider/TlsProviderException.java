package dev.drawbridge.broker.tls.provider;

/** The TLS provider asked for cannot be used here; the message says why and what to choose instead. */
public final class TlsProviderException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsProviderException(String message) {
        super(message);
    }

    public TlsProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
