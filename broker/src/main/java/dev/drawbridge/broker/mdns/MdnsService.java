package dev.drawbridge.broker.mdns;

/**
 * One DNS-SD service the broker advertises.
 *
 * @param type {@link #MQTT} or {@link #SECURE_MQTT}
 * @param name the instance name, e.g. {@code Drawbridge on garagepi}
 * @param port the listener's bound port
 * @param listener the listener as the log names it ({@code *:1883 (tls)})
 */
public record MdnsService(String type, String name, int port, String listener) {

    /** MQTT over TCP. */
    public static final String MQTT = "_mqtt._tcp.local.";

    /** MQTT over TLS. */
    public static final String SECURE_MQTT = "_secure-mqtt._tcp.local.";
}
