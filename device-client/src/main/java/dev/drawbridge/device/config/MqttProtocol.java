package dev.drawbridge.device.config;

import java.util.Arrays;
import java.util.Optional;

/** {@code mqtt.protocol}: the MQTT version the device speaks. */
public enum MqttProtocol {
    /** MQTT 5; MQTT 3.1.1 when the broker says it does not support 5, kept until the device restarts. */
    AUTO("auto"),
    /** MQTT 5 only: a broker that refuses it is retried, never spoken to in 3.1.1. */
    MQTT_5("5"),
    /** MQTT 3.1.1 only, as before MQTT 5. */
    MQTT_3_1_1("3.1.1");

    private final String text;

    MqttProtocol(String text) {
        this.text = text;
    }

    /** How the config file writes it. */
    public String text() {
        return text;
    }

    /** The version written as {@code text} ({@code auto}, {@code 5} or {@code 3.1.1}), or empty. */
    public static Optional<MqttProtocol> parse(String text) {
        String wanted = text.strip();
        return Arrays.stream(values())
                .filter(p -> p.text.equalsIgnoreCase(wanted))
                .findFirst();
    }
}
