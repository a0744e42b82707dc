package dev.drawbridge.device.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.config.MqttConfig;
import dev.drawbridge.device.config.MqttProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's MQTT connection: TLS with a client certificate, a clean session, the retained {@code offline} will on
 * the availability topic, and reconnects with exponential backoff and jitter until {@link #close}. It speaks MQTT 5
 * unless {@code mqtt.protocol} says otherwise; with {@code auto} a broker that refuses MQTT 5 before the first
 * CONNACK (see {@link ConnectFailure#mqtt5Refused()}) is spoken to in MQTT 3.1.1 from then on, until the device
 * restarts. Listener calls and received messages run on the executor given, in order.
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    /** What the device does with the connection. Called on the link's executor. */
    public interface Listener {
        /** The connection is up (again); the session is new, so subscriptions must be made again. */
        void connected();

        /** The connection is gone; reconnecting is already scheduled. */
        void disconnected();

        /** A message arrived on a subscribed topic. */
        void message(String topic, String payload, boolean retained);
    }

    private final DeviceConfig device;
    private final MqttConfig config;
    private final InetSocketAddress server;
    private final TlsMaterial tls;
    private final Topics topics;
    private final Backoff backoff;
    private final Listener listener;
    private final Executor callbacks;
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Some CONNACK accepted us: the version is settled for this run. */
    private final AtomicBoolean negotiated = new AtomicBoolean();

    private volatile Connection current;
    private volatile @Nullable String lastFailure;

    public MqttLink(
            DeviceConfig device,
            TlsMaterial tls,
            Topics topics,
            Backoff backoff,
            Listener listener,
            Executor executor) {
        this(
                device,
                InetSocketAddress.createUnresolved(
                        device.mqtt().host(), device.mqtt().port()),
                tls,
                topics,
                backoff,
                listener,
                executor);
    }

    /**
     * @param server where to connect: unresolved (resolved at every connect), or an address that carries the host
     *     name for TLS (found by mDNS)
     */
    public MqttLink(
            DeviceConfig device,
            InetSocketAddress server,
            TlsMaterial tls,
            Topics topics,
            Backoff backoff,
            Listener listener,
            Executor executor) {
        this.callbacks = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("Dropped a callback after shutdown: {}", e.toString());
            }
        };
        this.device = device;
        this.config = device.mqtt();
        this.server = server;
        this.tls = tls;
        this.topics = topics;
        this.backoff = backoff;
        this.listener = listener;
        this.current = open(config.protocol() != MqttProtocol.MQTT_3_1_1);
    }

    /** A new HiveMQ client at MQTT 5 or 3.1.1 whose connect and disconnect events come back to this link. */
    private Connection open(boolean mqtt5) {
        MqttClientBuilder common = MqttClient.builder()
                .identifier(device.clientId())
                .serverAddress(server)
                .sslConfig(tls.sslConfig())
                .addConnectedListener(context -> connected())
                .addDisconnectedListener(context -> disconnected(mqtt5, context));
        byte[] password = Objects.requireNonNullElse(config.password(), "").getBytes(StandardCharsets.UTF_8);
        return mqtt5
                ? new Mqtt5Connection(common, topics.availability(), config.username(), password, listener, callbacks)
                : new Mqtt3Connection(common, topics.availability(), config.username(), password, listener, callbacks);
    }

    /** Starts connecting; failures are retried with backoff, so this returns at once. */
    public void start() {
        String version = switch (config.protocol()) {
            case AUTO -> "MQTT 5, or 3.1.1 if the broker refuses 5";
            case MQTT_5 -> "MQTT 5 only";
            case MQTT_3_1_1 -> "MQTT 3.1.1";
        };
        LOG.info("Connecting to {}:{} (TLS, {}, clean session)", server.getHostString(), server.getPort(), version);
        current.connect(config.keepAlive());
    }

    /** Publishes at QoS 1; a PUBACK that refuses (MQTT 5 only) fails the future with a {@link BrokerRefusal}. */
    public CompletableFuture<Void> publish(String topic, String payload, boolean retain) {
        return publish(topic, payload, retain, Duration.ZERO);
    }

    /** Publishes at QoS 1 with an MQTT 5 message expiry interval ({@code expiry}; zero for none). */
    public CompletableFuture<Void> publish(String topic, String payload, boolean retain, Duration expiry) {
        return current.publish(topic, payload.getBytes(StandardCharsets.UTF_8), retain, expiry);
    }

    /** Subscribes at QoS 1; messages go to the listener. A refusing SUBACK fails with a {@link BrokerRefusal}. */
    public CompletableFuture<Void> subscribe(String filter) {
        return current.subscribe(filter);
    }

    public boolean isConnected() {
        return current.isConnected();
    }

    /** The version of the connection in use: {@code MQTT 5} or {@code MQTT 3.1.1}. */
    public String version() {
        return current.version();
    }

    private void connected() {
        attempts.set(0);
        lastFailure = null;
        negotiated.set(true);
        LOG.info(
                "Connected to {}:{} as {} ({})",
                server.getHostString(),
                server.getPort(),
                device.clientId(),
                current.version());
        callbacks.execute(listener::connected);
    }

    /** {@code mqtt5}: the event comes from the MQTT 5 client (which, after a fall-back, is no longer current). */
    private void disconnected(boolean mqtt5, MqttClientDisconnectedContext context) {
        if (closing.get()
                || context.getSource() == MqttDisconnectSource.USER
                || mqtt5 != (current instanceof Mqtt5Connection)) {
            return;
        }
        ConnectFailure failure = ConnectFailure.of(context.getCause());
        if (failure.mqtt5Refused() && config.protocol() == MqttProtocol.AUTO && mqtt5 && !negotiated.get()) {
            fallBack(failure);
            return;
        }
        int attempt = attempts.incrementAndGet();
        Duration delay = backoff.delay(attempt);
        context.getReconnector()
                .reconnect(true)
                .resubscribeIfSessionExpired(false)
                .delay(delay.toMillis(), TimeUnit.MILLISECONDS);
        String text = failure.text()
                + (failure.mqtt5Refused() && config.protocol() == MqttProtocol.MQTT_5 && !negotiated.get()
                        // only before any CONNACK: a broker restart also closes a connection without DISCONNECT
                        ? " (mqtt.protocol is 5; auto would fall back to 3.1.1)"
                        : "");
        if (!text.equals(lastFailure)) {
            LOG.warn(
                    "Not connected to {}:{}: {}; retrying in {} ms (attempt {})",
                    server.getHostString(),
                    server.getPort(),
                    text,
                    delay.toMillis(),
                    attempt);
            lastFailure = text;
        } else {
            LOG.debug("Still not connected: {}; retrying in {} ms (attempt {})", text, delay.toMillis(), attempt);
        }
        callbacks.execute(listener::disconnected);
    }

    /** Once per run: the broker does not speak MQTT 5, so this run speaks MQTT 3.1.1 to it, reconnects included. */
    private void fallBack(ConnectFailure failure) {
        LOG.warn(
                "{}:{} does not speak MQTT 5 ({}): falling back to MQTT 3.1.1 until the device restarts",
                server.getHostString(),
                server.getPort(),
                failure.text());
        Connection fallback = open(false);
        current = fallback;
        fallback.connect(config.keepAlive());
    }

    /**
     * Publishes {@code offline} (a clean DISCONNECT suppresses the will), disconnects and stops reconnecting. Waits at
     * most two seconds for each.
     */
    @Override
    public void close() {
        closing.set(true);
        Connection connection = current;
        if (connection.isConnected()) {
            await(publish(topics.availability(), "offline", true));
            await(connection.disconnect());
        } else {
            connection.disconnect();
        }
    }

    private static void await(CompletableFuture<?> future) {
        try {
            future.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Closing the connection: {}", e.toString());
        }
    }
}
