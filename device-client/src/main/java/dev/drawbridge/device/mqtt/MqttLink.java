package dev.drawbridge.device.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.config.MqttConfig;
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
 * The device's MQTT 3.1.1 connection: TLS with a client certificate, a clean session, the retained {@code offline}
 * will on the availability topic, and reconnects with exponential backoff and jitter until {@link #close}. Listener
 * calls and received messages run on the executor given, in order.
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

    private final Mqtt3AsyncClient client;
    private final MqttConfig config;
    private final InetSocketAddress server;
    private final Topics topics;
    private final Backoff backoff;
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
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
        Executor callbacks = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("Dropped a callback after shutdown: {}", e.toString());
            }
        };
        this.config = device.mqtt();
        this.server = server;
        this.topics = topics;
        this.backoff = backoff;
        Mqtt3ClientBuilder builder = Mqtt3Client.builder()
                .identifier(device.clientId())
                .serverAddress(server)
                .sslConfig(tls.sslConfig())
                .willPublish()
                .topic(topics.availability())
                .payload("offline".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .applyWillPublish()
                .addConnectedListener(context -> {
                    attempts.set(0);
                    lastFailure = null;
                    LOG.info("Connected to {}:{} as {}", server.getHostString(), server.getPort(), device.clientId());
                    callbacks.execute(listener::connected);
                })
                .addDisconnectedListener(context -> {
                    if (reconnect(context)) {
                        callbacks.execute(listener::disconnected);
                    }
                });
        if (config.username() != null) {
            builder = builder.simpleAuth()
                    .username(config.username())
                    .password(Objects.requireNonNullElse(config.password(), "").getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        this.client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, publish -> deliver(listener, publish), callbacks);
    }

    /** Starts connecting; failures are retried with backoff, so this returns at once. */
    public void start() {
        LOG.info("Connecting to {}:{} (TLS, MQTT 3.1.1, clean session)", server.getHostString(), server.getPort());
        client.connectWith()
                .cleanSession(true)
                .keepAlive((int) config.keepAlive().toSeconds())
                .send();
    }

    /** Publishes at QoS 1. */
    public CompletableFuture<Mqtt3Publish> publish(String topic, String payload, boolean retain) {
        return client.publishWith()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .send();
    }

    /** Subscribes at QoS 1; messages go to the listener. */
    public CompletableFuture<?> subscribe(String filter) {
        return client.subscribeWith()
                .topicFilter(filter)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    private boolean reconnect(MqttClientDisconnectedContext context) {
        if (closing.get() || context.getSource() == MqttDisconnectSource.USER) {
            return false;
        }
        int attempt = attempts.incrementAndGet();
        Duration delay = backoff.delay(attempt);
        context.getReconnector()
                .reconnect(true)
                .resubscribeIfSessionExpired(false)
                .delay(delay.toMillis(), TimeUnit.MILLISECONDS);
        String failure = String.valueOf(context.getCause().getMessage());
        if (!failure.equals(lastFailure)) {
            LOG.warn(
                    "Not connected to {}:{}: {}; retrying in {} ms (attempt {})",
                    server.getHostString(),
                    server.getPort(),
                    failure,
                    delay.toMillis(),
                    attempt);
            lastFailure = failure;
        } else {
            LOG.debug("Still not connected: {}; retrying in {} ms (attempt {})", failure, delay.toMillis(), attempt);
        }
        return true;
    }

    private static void deliver(Listener listener, Mqtt3Publish publish) {
        String payload = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
        listener.message(publish.getTopic().toString(), payload, publish.isRetain());
    }

    /**
     * Publishes {@code offline} (a clean DISCONNECT suppresses the will), disconnects and stops reconnecting. Waits at
     * most two seconds for each.
     */
    @Override
    public void close() {
        closing.set(true);
        if (isConnected()) {
            await(publish(topics.availability(), "offline", true));
            await(client.disconnect());
        } else {
            client.disconnect();
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
