package dev.drawbridge.broker.bridge;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.Optional;

/**
 * What an MQTT 5 remote broker's CONNACK says the bridge may send it (as Mosquitto's {@code handle_connack.c} reads
 * it): the highest QoS, whether it keeps retained messages, how many QoS 1 and 2 messages may be in flight, and the
 * largest packet. An MQTT 3.x broker says nothing: everything is allowed, the window is the local broker's.
 */
record RemoteLimits(
        int maximumQos,
        boolean retainAvailable,
        Optional<Integer> receiveMaximum,
        Optional<Integer> maximumPacketSize) {

    static final RemoteLimits MQTT_3 = new RemoteLimits(2, true, Optional.empty(), Optional.empty());

    private static final int RECEIVE_MAXIMUM = 0x21;
    private static final int MAXIMUM_QOS = 0x24;
    private static final int RETAIN_AVAILABLE = 0x25;
    private static final int MAXIMUM_PACKET_SIZE = 0x27;

    static RemoteLimits of(MqttProperties connAck) {
        return new RemoteLimits(
                integer(connAck, MAXIMUM_QOS).orElse(2),
                integer(connAck, RETAIN_AVAILABLE).orElse(1) != 0,
                integer(connAck, RECEIVE_MAXIMUM),
                integer(connAck, MAXIMUM_PACKET_SIZE));
    }

    private static Optional<Integer> integer(MqttProperties properties, int id) {
        return properties.getProperty(id) instanceof MqttProperties.IntegerProperty p
                ? Optional.of(p.value())
                : Optional.empty();
    }
}
