package dev.drawbridge.broker.conf;

import java.util.Optional;

/**
 * One {@code listener} (or the default listener made by {@code port}).
 *
 * @param port TCP port; 0 asks the OS for a free one (tests)
 * @param bindAddress address or host name to bind, empty for every interface
 * @param socketDomain which address family to bind when no address is given
 * @param protocol plain MQTT, MQTT over WebSocket, or the console's HTTP ({@code http_api}, see {@link ConsoleConfig})
 * @param maxConnections the most clients at once on this listener, -1 for no limit
 * @param tls TLS settings, empty for a plain listener
 * @param security who may connect here: with {@code per_listener_settings false} every listener carries the same
 *     rules, unless {@code listener_allow_anonymous} says otherwise for this one
 * @param admission the protocol versions, generated client id prefix and WebSocket origins this listener allows
 */
public record ListenerConfig(
        int port,
        Optional<String> bindAddress,
        SocketDomain socketDomain,
        Protocol protocol,
        int maxConnections,
        Optional<TlsConfig> tls,
        SecurityConfig security,
        ListenerAdmission admission) {

    public enum Protocol {
        MQTT,
        WEBSOCKETS,
        HTTP_API
    }

    public enum SocketDomain {
        ANY,
        IPV4,
        IPV6
    }

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, found " + port);
        }
    }

    /** A listener with {@link ListenerAdmission#DEFAULTS}. */
    public ListenerConfig(
            int port,
            Optional<String> bindAddress,
            SocketDomain socketDomain,
            Protocol protocol,
            int maxConnections,
            Optional<TlsConfig> tls,
            SecurityConfig security) {
        this(port, bindAddress, socketDomain, protocol, maxConnections, tls, security, ListenerAdmission.DEFAULTS);
    }

    /** A plain MQTT listener with no connection limit. */
    public static ListenerConfig plain(int port, String bindAddress, SecurityConfig security) {
        return new ListenerConfig(
                port, Optional.of(bindAddress), SocketDomain.ANY, Protocol.MQTT, -1, Optional.empty(), security);
    }

    /** Where a log line says this listener is, as Mosquitto prints it. */
    public String describe() {
        String kind = switch (protocol) {
            case MQTT -> "";
            case WEBSOCKETS -> " (websockets)";
            case HTTP_API -> " (http_api)";
        };
        return bindAddress.orElse("*") + ":" + port + kind + (tls.isPresent() ? " (tls)" : "");
    }
}
