package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sensors:} section: optional reed switches on GPIO lines (backend {@code gpio} only). Without them the
 * state is estimated from {@code door.travel-time} and flagged as estimated.
 *
 * @param closedPin BCM GPIO of the switch that closes when the door is fully closed, default none
 * @param openPin BCM GPIO of the switch that closes when the door is fully open, default none
 * @param activeLow whether a closed switch reads low (switch to ground, internal pull-up), default true
 * @param debounce how long a reading must stay the same before it counts, default 50 ms
 */
public record SensorConfig(
        @Nullable Integer closedPin, @Nullable Integer openPin, boolean activeLow, Duration debounce) {

    @JsonCreator
    static SensorConfig of(
            @JsonProperty("closed-pin") @Nullable Integer closedPin,
            @JsonProperty("open-pin") @Nullable Integer openPin,
            @JsonProperty("active-low") @Nullable Boolean activeLow,
            @JsonProperty("debounce") @Nullable Duration debounce) {
        return new SensorConfig(
                closedPin,
                openPin,
                activeLow == null || activeLow,
                debounce == null ? Duration.ofMillis(50) : debounce);
    }

    static SensorConfig defaults() {
        return of(null, null, null, null);
    }
}
