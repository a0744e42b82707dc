package dev.drawbridge.device.mqtt;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The device's connection at MQTT 3.1.1: a SUBACK failure (0x80) is read; a refused PUBLISH cannot be told apart,
 * since MQTT 3.1.1's PUBACK carries no code, and events do not expire.
 */
final class Mqtt3Connection implements Connection {

    private final Mqtt3AsyncClient client;

    Mqtt3Connection(
            MqttClientBuilder common,
            String willTopic,
            @Nullable String username,
            byte[] password,
            MqttLink.Listener listener,
            Executor callbacks) {
        Mqtt3ClientBuilder builder = common.useMqttVersion3()
                .willPublish()
                .topic(willTopic)
                .payload("offline".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .applyWillPublish();
        if (username != null) {
            builder = builder.simpleAuth().username(username).password(password).applySimpleAuth();
        }
        this.client = builder.buildAsync();
        client.publishes(
                MqttGlobalPublishFilter.SUBSCRIBED,
                publish -> listener.message(
                        publish.getTopic().toString(),
                        new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8),
                        publish.isRetain()),
                callbacks);
    }

    @Override
    public String version() {
        return "MQTT 3.1.1";
    }

    @Override
    public void connect(Duration keepAlive) {
        client.connectWith()
                .cleanSession(true)
                .keepAlive((int) keepAlive.toSeconds())
                .send();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Duration expiry) {
        return client.publishWith()
                .topic(topic)
                .payload(payload)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .send()
                .thenApply(sent -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter) {
        return client.subscribeWith()
                .topicFilter(filter)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .handle(Mqtt3Connection::subscribed);
    }

    private static @Nullable Void subscribed(@Nullable Mqtt3SubAck subAck, @Nullable Throwable failure) {
        Mqtt3SubAck answer = subAck;
        if (failure != null) {
            if (!(Mqtt5Connection.unwrap(failure) instanceof Mqtt3SubAckException refused)) {
                throw new CompletionException(Mqtt5Connection.unwrap(failure));
            }
            answer = refused.getMqttMessage();
        }
        if (answer != null && answer.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
            throw new BrokerRefusal("SUBACK", Mqtt3SubAckReturnCode.FAILURE.getCode(), "FAILURE", Optional.empty());
        }
        return null;
    }

    @Override
    public boolean isConnected() {
        return client.getState().isConnected();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }
}
