package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drawbridge.device.door.DoorState;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code door:} section: names, topics and how long the door takes to travel.
 *
 * @param nodeId the device's id in topics and in Home Assistant: letters, digits, {@code _} and {@code -}, default
 *     {@code garage}
 * @param name the name Home Assistant shows, default {@code Garage door}
 * @param baseTopic the topic prefix: commands on {@code <base>/cmd}, state on {@code <base>/state}, default
 *     {@code drawbridge/<node-id>}
 * @param travelTime how long a full open or close takes, default 15 s; a door still moving after 1.5 times this is
 *     reported {@code stopped} with a problem
 * @param initialState what to assume at start when no reed switch says otherwise: {@code unknown} (default, the
 *     only honest value without sensors), {@code closed} or {@code open}
 */
public record DoorConfig(
        String nodeId, String name, @Nullable String baseTopic, Duration travelTime, DoorState initialState) {

    @JsonCreator
    static DoorConfig of(
            @JsonProperty("node-id") @Nullable String nodeId,
            @JsonProperty("name") @Nullable String name,
            @JsonProperty("base-topic") @Nullable String baseTopic,
            @JsonProperty("travel-time") @Nullable Duration travelTime,
            @JsonProperty("initial-state") @Nullable DoorState initialState) {
        return new DoorConfig(
                nodeId == null ? "garage" : nodeId,
                name == null ? "Garage door" : name,
                baseTopic,
                travelTime == null ? Duration.ofSeconds(15) : travelTime,
                initialState == null ? DoorState.UNKNOWN : initialState);
    }

    static DoorConfig defaults() {
        return of(null, null, null, null, null);
    }

    /** The topic prefix, {@code drawbridge/<node-id>} unless set. */
    public String topicBase() {
        return baseTopic == null ? "drawbridge/" + nodeId : baseTopic;
    }
}
