package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code home-assistant:} section: MQTT discovery.
 *
 * @param discovery publish the retained {@code cover} config, default true
 * @param prefix the discovery prefix, default {@code homeassistant}
 * @param statusTopic where Home Assistant announces {@code online}, which makes the device publish its config again,
 *     default {@code <prefix>/status}
 */
public record HomeAssistantConfig(
        boolean discovery, String prefix, @Nullable String statusTopic) {

    @JsonCreator
    static HomeAssistantConfig of(
            @JsonProperty("discovery") @Nullable Boolean discovery,
            @JsonProperty("prefix") @Nullable String prefix,
            @JsonProperty("status-topic") @Nullable String statusTopic) {
        return new HomeAssistantConfig(
                discovery == null || discovery, prefix == null ? "homeassistant" : prefix, statusTopic);
    }

    static HomeAssistantConfig defaults() {
        return of(null, null, null);
    }

    /** Home Assistant's birth topic. */
    public String birthTopic() {
        return statusTopic == null ? prefix + "/status" : statusTopic;
    }
}
