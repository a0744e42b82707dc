package dev.drawbridge.device.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DiscoveryTest {

    private final Discovery discovery =
            new Discovery("homeassistant", "garage", "Garage door", new Topics("drawbridge/garage"), "1.0");

    @Test
    void isACoverOfClassGarage() throws Exception {
        JsonNode config = new ObjectMapper().readTree(discovery.payload());

        assertThat(discovery.topic()).isEqualTo("homeassistant/cover/garage/door/config");
        assertThat(config.get("device_class").asText()).isEqualTo("garage");
        assertThat(config.get("unique_id").asText()).isEqualTo("drawbridge_garage_door");
        assertThat(config.get("command_topic").asText()).isEqualTo("drawbridge/garage/cmd");
        assertThat(config.get("state_topic").asText()).isEqualTo("drawbridge/garage/state");
        assertThat(config.get("availability_topic").asText()).isEqualTo("drawbridge/garage/availability");
        assertThat(config.get("payload_open").asText()).isEqualTo("OPEN");
        assertThat(config.get("state_closing").asText()).isEqualTo("closing");
        assertThat(config.get("retain").asBoolean()).isFalse();
        assertThat(config.get("device").get("identifiers").get(0).asText()).isEqualTo("drawbridge_garage");
        assertThat(config.get("device").get("sw_version").asText()).isEqualTo("1.0");
    }
}
