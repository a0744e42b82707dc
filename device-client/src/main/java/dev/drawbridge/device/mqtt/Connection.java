package dev.drawbridge.device.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One HiveMQ client speaking one MQTT version, as {@link MqttLink} drives it. Acknowledgements that refuse complete
 * the futures exceptionally with a {@link BrokerRefusal}.
 */
sealed interface Connection permits Mqtt5Connection, Mqtt3Connection {

    /** {@code MQTT 5} or {@code MQTT 3.1.1}, for the log. */
    String version();

    /** Starts connecting with a clean session (MQTT 5: clean start, session expiry 0) and {@code keepAlive}. */
    void connect(Duration keepAlive);

    /**
     * Publishes at QoS 1; {@code expiry} is the MQTT 5 message expiry interval (ignored by MQTT 3.1.1, which has none);
     * zero for none.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Duration expiry);

    /** Subscribes at QoS 1. */
    CompletableFuture<Void> subscribe(String filter);

    boolean isConnected();

    CompletableFuture<Void> disconnect();
}
