package dev.drawbridge.device.mqtt;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** The device's connection at MQTT 5: PUBACK and SUBACK reason codes are read, events can expire. */
final class Mqtt5Connection implements Connection {

    private final Mqtt5AsyncClient client;

    Mqtt5Connection(
            MqttClientBuilder common,
            String willTopic,
            @Nullable String username,
            byte[] password,
            MqttLink.Listener listener,
            Executor callbacks) {
        Mqtt5ClientBuilder builder = common.useMqttVersion5()
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
        return "MQTT 5";
    }

    @Override
    public void connect(Duration keepAlive) {
        client.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(0)
                .keepAlive((int) keepAlive.toSeconds())
                .send();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Duration expiry) {
        var publish = client.publishWith()
                .topic(topic)
                .payload(payload)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain);
        if (!expiry.isZero()) {
            publish = publish.messageExpiryInterval(expiry.toSeconds());
        }
        return publish.send().handle(Mqtt5Connection::published);
    }

    private static @Nullable Void published(@Nullable Mqtt5PublishResult result, @Nullable Throwable failure) {
        Throwable error = failure != null
                ? unwrap(failure)
                : result == null ? null : result.getError().orElse(null);
        if (error instanceof Mqtt5PubAckException refused) {
            Mqtt5PubAck pubAck = refused.getMqttMessage();
            throw new BrokerRefusal(
                    "PUBACK",
                    pubAck.getReasonCode().getCode(),
                    pubAck.getReasonCode().name(),
                    pubAck.getReasonString());
        }
        if (error != null) {
            throw new CompletionException(error);
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter) {
        return client.subscribeWith()
                .topicFilter(filter)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .handle(Mqtt5Connection::subscribed);
    }

    private static @Nullable Void subscribed(@Nullable Mqtt5SubAck subAck, @Nullable Throwable failure) {
        Mqtt5SubAck answer = subAck;
        if (failure != null) {
            if (!(unwrap(failure) instanceof Mqtt5SubAckException refused)) {
                throw new CompletionException(unwrap(failure));
            }
            answer = refused.getMqttMessage();
        }
        if (answer != null) {
            for (Mqtt5SubAckReasonCode code : answer.getReasonCodes()) {
                if (code.isError()) {
                    throw new BrokerRefusal("SUBACK", code.getCode(), code.name(), answer.getReasonString());
                }
            }
        }
        return null;
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
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
