package dev.drawbridge.device.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.device.door.DoorState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Home Assistant MQTT discovery config of the door: a {@code cover} with {@code device_class: garage}, published
 * retained on {@code <prefix>/cover/<node-id>/door/config}.
 *
 * @param prefix the discovery prefix, usually {@code homeassistant}
 * @param nodeId the device's id
 * @param name the name Home Assistant shows
 * @param topics the device's topics
 * @param version the device software's version, for the device block
 */
public record Discovery(String prefix, String nodeId, String name, Topics topics, String version) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the config is published. */
    public String topic() {
        return prefix + "/cover/" + nodeId + "/door/config";
    }

    /** The config as JSON. */
    public String payload() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("unique_id", "drawbridge_" + nodeId + "_door");
        config.put("object_id", nodeId + "_door");
        config.put("device_class", "garage");
        config.put("command_topic", topics.command());
        config.put("payload_open", "OPEN");
        config.put("payload_close", "CLOSE");
        config.put("payload_stop", "STOP");
        config.put("state_topic", topics.state());
        config.put("state_open", DoorState.OPEN.payload());
        config.put("state_opening", DoorState.OPENING.payload());
        config.put("state_closed", DoorState.CLOSED.payload());
        config.put("state_closing", DoorState.CLOSING.payload());
        config.put("state_stopped", DoorState.STOPPED.payload());
        config.put("availability_topic", topics.availability());
        config.put("payload_available", "online");
        config.put("payload_not_available", "offline");
        config.put("json_attributes_topic", topics.attributes());
        config.put("optimistic", false);
        config.put("retain", false);
        config.put("qos", 1);
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of("drawbridge_" + nodeId));
        device.put("name", name);
        device.put("manufacturer", "Drawbridge");
        device.put("model", "device-client");
        device.put("sw_version", version);
        config.put("device", device);
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
