package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mqtt:} section: where the broker is and how to keep talking to it.
 *
 * @param host the broker's host name (required unless {@code discover}); with {@code tls.ca} it must match the broker
 *     certificate. A {@code .local} name the system cannot resolve is resolved by multicast DNS
 * @param port the TLS port, default 8883; with {@code discover} the advertised port is used instead
 * @param clientId the MQTT client id, default {@code drawbridge-<door.node-id>}
 * @param username optional user name sent in CONNECT
 * @param password optional password sent in CONNECT (only with a user name)
 * @param keepAlive MQTT keep-alive, default 30 s
 * @param reconnectInitial first delay before reconnecting, default 1 s; doubles per failed attempt, ±25 % jitter
 * @param reconnectMax longest delay between reconnect attempts, default 60 s
 * @param discover find the broker by multicast DNS: the {@code _secure-mqtt._tcp} service on the LAN, default false
 * @param discoverTimeout how long to browse for that service (and to resolve a {@code .local} name), default 10 s
 * @param protocol the MQTT version: {@code auto} (5, falling back to 3.1.1 when the broker refuses 5), {@code 5} or
 *     {@code 3.1.1}
 * @param eventExpiry MQTT 5 message expiry of each {@code <base>/event}, default 5 min: an event nobody received by
 *     then is dropped by the broker instead of reaching a dashboard that reconnects hours later
 */
public record MqttConfig(
        String host,
        int port,
        @Nullable String clientId,
        @Nullable String username,
        @Nullable String password,
        Duration keepAlive,
        Duration reconnectInitial,
        Duration reconnectMax,
        boolean discover,
        Duration discoverTimeout,
        MqttProtocol protocol,
        Duration eventExpiry) {

    public static final int DEFAULT_PORT = 8883;
    public static final Duration DEFAULT_EVENT_EXPIRY = Duration.ofMinutes(5);

    public MqttConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(eventExpiry, "eventExpiry");
    }

    @JsonCreator
    static MqttConfig of(
            @JsonProperty("host") @Nullable String host,
            @JsonProperty("port") @Nullable Integer port,
            @JsonProperty("client-id") @Nullable String clientId,
            @JsonProperty("username") @Nullable String username,
            @JsonProperty("password") @Nullable String password,
            @JsonProperty("keep-alive") @Nullable Duration keepAlive,
            @JsonProperty("reconnect-initial") @Nullable Duration reconnectInitial,
            @JsonProperty("reconnect-max") @Nullable Duration reconnectMax,
            @JsonProperty("discover") @Nullable Boolean discover,
            @JsonProperty("discover-timeout") @Nullable Duration discoverTimeout,
            @JsonProperty("protocol") @Nullable MqttProtocol protocol,
            @JsonProperty("event-expiry") @Nullable Duration eventExpiry) {
        return new MqttConfig(
                host == null ? "" : host,
                port == null ? DEFAULT_PORT : port,
                clientId,
                username,
                password,
                keepAlive == null ? Duration.ofSeconds(30) : keepAlive,
                reconnectInitial == null ? Duration.ofSeconds(1) : reconnectInitial,
                reconnectMax == null ? Duration.ofSeconds(60) : reconnectMax,
                discover != null && discover,
                discoverTimeout == null ? Duration.ofSeconds(10) : discoverTimeout,
                protocol == null ? MqttProtocol.AUTO : protocol,
                eventExpiry == null ? DEFAULT_EVENT_EXPIRY : eventExpiry);
    }

    static MqttConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "MqttConfig[host=" + host + ", port=" + port + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", discover=" + discover + ", protocol="
                + protocol.text() + "]";
    }
}
