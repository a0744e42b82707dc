package dev.drawbridge.broker.bridge;

import dev.drawbridge.broker.engine.topic.TopicFilters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One bridge: a {@code connection NAME} block of {@code mosquitto.conf}, with Mosquitto 2.0's defaults (set where its
 * {@code src/conf.c} reads {@code connection}). Passwords never reach a log: {@link #toString()} leaves them out.
 *
 * @param name the {@code connection} name, unique in the file
 * @param where {@code FILE:LINE} of the {@code connection} line, for messages
 * @param addresses the remote broker's addresses, tried in order (fail-over); port 1883 when none is given
 * @param roundRobin {@code round_robin} (default false: go back to the first address when it is up again)
 * @param topics the {@code topic} lines, at least one
 * @param remoteClientId {@code remote_clientid}; Mosquitto's default is {@code HOSTNAME.NAME}
 * @param localClientId {@code local_clientid}; Mosquitto's default is {@code local.} and the remote client id
 * @param cleanSession {@code cleansession} (default false: the remote keeps the bridge's session and queues)
 * @param localCleanSession {@code local_cleansession}; empty means as {@code cleanSession}
 * @param tryPrivate {@code try_private} (default true): tell an MQTT 3.1.1 remote that this client is a bridge
 * @param notifications {@code notifications} (default true): publish the connection state, retained
 * @param notificationsLocalOnly {@code notifications_local_only} (default false)
 * @param notificationTopic {@code notification_topic}; Mosquitto's default is
 *     {@code $SYS/broker/connection/REMOTE_CLIENTID/state}
 * @param keepalive {@code keepalive_interval} (default 60 s)
 * @param restart {@code restart_timeout}: how long to wait before reconnecting
 * @param protocolVersion {@code bridge_protocol_version} (default MQTT 3.1.1)
 * @param tls the {@code bridge_*} TLS options; empty without {@code bridge_cafile} or {@code bridge_capath}, which
 *     is how Mosquitto decides that a bridge uses TLS
 * @param startType {@code start_type} (default automatic)
 * @param idleTimeout {@code idle_timeout} (default 60 s): a lazy bridge disconnects after this long without messages
 * @param threshold {@code threshold} (default 10): messages queued before a lazy bridge connects
 */
public record BridgeConfig(
        String name,
        String where,
        List<Address> addresses,
        boolean roundRobin,
        List<TopicMapping> topics,
        Optional<String> remoteClientId,
        Optional<String> localClientId,
        Credentials remote,
        Credentials local,
        boolean cleanSession,
        Optional<Boolean> localCleanSession,
        boolean tryPrivate,
        boolean notifications,
        boolean notificationsLocalOnly,
        Optional<String> notificationTopic,
        Duration keepalive,
        Restart restart,
        ProtocolVersion protocolVersion,
        Optional<Tls> tls,
        StartType startType,
        Duration idleTimeout,
        int threshold) {

    public static final int DEFAULT_PORT = 1883;

    public BridgeConfig {
        addresses = List.copyOf(addresses);
        topics = List.copyOf(topics);
        if (name.isEmpty() || addresses.isEmpty() || topics.isEmpty()) {
            throw new IllegalArgumentException("a bridge needs a name, an address and a topic");
        }
        if (threshold < 1 || keepalive.toSeconds() < 5 || idleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("threshold >= 1, keepalive >= 5 s and idle_timeout >= 1 s");
        }
    }

    /** Why {@code topic} cannot be a {@code notification_topic} (a PUBLISH topic name), or empty if it can. */
    public static Optional<String> topicNameProblem(String topic) {
        return Optional.ofNullable(TopicFilters.topicNameError(topic));
    }

    /** The remote client id: {@code remote_clientid}, else Mosquitto's {@code HOSTNAME.NAME}. */
    public String remoteClientId(String hostname) {
        return remoteClientId.orElse(hostname + "." + name);
    }

    /** The local client id: {@code local_clientid}, else Mosquitto's {@code local.} and the remote client id. */
    public String localClientId(String hostname) {
        return localClientId.orElse("local." + remoteClientId(hostname));
    }

    /** Where the connection state is published: {@code notification_topic}, else Mosquitto's {@code $SYS} topic. */
    public String notificationTopic(String hostname) {
        return notificationTopic.orElse("$SYS/broker/connection/" + remoteClientId(hostname) + "/state");
    }

    /** {@code HOST[:PORT]} of an {@code address} line; an IPv6 address needs the port (Mosquitto splits at the last colon). */
    public record Address(String host, int port) {
        public Address {
            if (host.isEmpty() || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("expected a host and a port 1-65535");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A user name and password for one side of the bridge; the password never appears in {@link #toString()}. */
    public record Credentials(Optional<String> username, Optional<String> password) {

        public static final Credentials NONE = new Credentials(Optional.empty(), Optional.empty());

        @Override
        public String toString() {
            return "Credentials[username=" + username.orElse("(none)") + ", password="
                    + (password.isPresent() ? "(set)" : "(none)") + "]";
        }
    }

    /**
     * {@code restart_timeout}: a constant delay ({@code restart_timeout 20}), or "decorrelated jitter" from {@code base}
     * up to {@code cap} ({@code restart_timeout 10 60}; Mosquitto's default is 5 to 30 seconds).
     *
     * @param cap empty for a constant delay of {@code base}
     */
    public record Restart(Duration base, Optional<Duration> cap) {

        public static final Restart DEFAULT = new Restart(Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30)));

        public Restart {
            if (base.toSeconds() < 1 || cap.filter(c -> c.compareTo(base) < 0).isPresent()) {
                throw new IllegalArgumentException("expected a base >= 1 s and a cap >= the base");
            }
        }
    }

    /** {@code bridge_protocol_version}: the MQTT version spoken to the remote broker. */
    public enum ProtocolVersion {
        MQTT_3_1("mqttv31"),
        MQTT_3_1_1("mqttv311"),
        MQTT_5("mqttv50");

        private final String word;

        ProtocolVersion(String word) {
            this.word = word;
        }

        /** As {@code mosquitto.conf} writes it. */
        public String word() {
            return word;
        }
    }

    /** {@code start_type}: when the bridge connects ({@code manual} is refused by Mosquitto 2.0 too). */
    public enum StartType {
        AUTOMATIC,
        LAZY,
        ONCE
    }

    /**
     * The bridge's TLS options. At least one of {@code cafile} and {@code capath} is set (that is what makes Mosquitto
     * use TLS); {@code certfile} and {@code keyfile} come together.
     *
     * @param insecure {@code bridge_insecure}: the remote's host name is not checked against its certificate
     * @param tlsVersion {@code bridge_tls_version}: the lowest TLS version offered, as in Mosquitto's client
     *     ({@code TLSv1.3}, or {@code TLSv1.2}, which also offers 1.3); empty for TLS 1.2 and 1.3
     * @param alpn {@code bridge_alpn}
     */
    public record Tls(
            Optional<Path> cafile,
            Optional<Path> capath,
            Optional<Path> certfile,
            Optional<Path> keyfile,
            boolean insecure,
            Optional<String> tlsVersion,
            Optional<String> alpn) {
        public Tls {
            if (cafile.isEmpty() && capath.isEmpty()) {
                throw new IllegalArgumentException("a bridge uses TLS only with bridge_cafile or bridge_capath");
            }
            if (certfile.isPresent() != keyfile.isPresent()) {
                throw new IllegalArgumentException("bridge_certfile and bridge_keyfile come together");
            }
        }
    }

    @Override
    public String toString() {
        // Records print every component; this one must not print the passwords.
        return "BridgeConfig[name=" + name + ", where=" + where + ", addresses=" + addresses + ", topics=" + topics
                + ", remote=" + remote + ", local=" + local + ", protocolVersion=" + protocolVersion + ", tls="
                + tls.isPresent() + ", startType=" + startType + "]";
    }
}
