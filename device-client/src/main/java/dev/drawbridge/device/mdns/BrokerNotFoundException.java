package dev.drawbridge.device.mdns;

/** {@code mqtt.discover} found no broker on the LAN. */
public final class BrokerNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerNotFoundException(String message) {
        super(message);
    }
}
