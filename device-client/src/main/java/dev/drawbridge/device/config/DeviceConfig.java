package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The whole device config file. Every section may be left out and then takes its defaults; {@code mqtt.host},
 * {@code tls.certificate} and {@code tls.key} are required. See {@code device.example.yml}.
 *
 * @param baseDir the folder relative file names are resolved against: the config file's folder
 */
public record DeviceConfig(
        MqttConfig mqtt,
        TlsConfig tls,
        DoorConfig door,
        CommandConfig commands,
        RelayConfig relay,
        SensorConfig sensors,
        SimulationConfig simulation,
        HomeAssistantConfig homeAssistant,
        Path baseDir) {

    @JsonCreator
    static DeviceConfig of(
            @JsonProperty("mqtt") @Nullable MqttConfig mqtt,
            @JsonProperty("tls") @Nullable TlsConfig tls,
            @JsonProperty("door") @Nullable DoorConfig door,
            @JsonProperty("commands") @Nullable CommandConfig commands,
            @JsonProperty("relay") @Nullable RelayConfig relay,
            @JsonProperty("sensors") @Nullable SensorConfig sensors,
            @JsonProperty("simulation") @Nullable SimulationConfig simulation,
            @JsonProperty("home-assistant") @Nullable HomeAssistantConfig homeAssistant) {
        return new DeviceConfig(
                mqtt == null ? MqttConfig.defaults() : mqtt,
                tls == null ? TlsConfig.defaults() : tls,
                door == null ? DoorConfig.defaults() : door,
                commands == null ? CommandConfig.defaults() : commands,
                relay == null ? RelayConfig.defaults() : relay,
                sensors == null ? SensorConfig.defaults() : sensors,
                simulation == null ? SimulationConfig.defaults() : simulation,
                homeAssistant == null ? HomeAssistantConfig.defaults() : homeAssistant,
                Path.of("."));
    }

    /** Every section at its defaults (not usable as it is: {@code mqtt.host} and the TLS files are missing). */
    public static DeviceConfig defaults() {
        return of(null, null, null, null, null, null, null, null);
    }

    /** This config with other relay and sensor sections. */
    public DeviceConfig withHardware(RelayConfig newRelay, SensorConfig newSensors) {
        return new DeviceConfig(mqtt, tls, door, commands, newRelay, newSensors, simulation, homeAssistant, baseDir);
    }

    /** This config with relative files resolved against {@code folder}. */
    public DeviceConfig withBaseDir(Path folder) {
        return new DeviceConfig(mqtt, tls, door, commands, relay, sensors, simulation, homeAssistant, folder);
    }

    /** {@code name} resolved against {@link #baseDir()}. */
    public Path resolve(String name) {
        return baseDir.resolve(name);
    }

    /** The MQTT client id: {@code mqtt.client-id}, else {@code drawbridge-<door.node-id>}. */
    public String clientId() {
        String id = mqtt.clientId();
        return id == null ? "drawbridge-" + door.nodeId() : id;
    }
}
