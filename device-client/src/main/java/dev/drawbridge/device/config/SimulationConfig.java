package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drawbridge.device.door.DoorState;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code simulation:} section, used with {@code relay.backend: simulated}.
 *
 * @param travelTime how long the simulated door takes to open or close, default 10 s
 * @param reedSwitches whether the simulated door has closed and open reed switches, default true
 * @param startState where the simulated door starts: {@code closed} (default) or {@code open}
 */
public record SimulationConfig(Duration travelTime, boolean reedSwitches, DoorState startState) {

    @JsonCreator
    static SimulationConfig of(
            @JsonProperty("travel-time") @Nullable Duration travelTime,
            @JsonProperty("reed-switches") @Nullable Boolean reedSwitches,
            @JsonProperty("start-state") @Nullable DoorState startState) {
        return new SimulationConfig(
                travelTime == null ? Duration.ofSeconds(10) : travelTime,
                reedSwitches == null || reedSwitches,
                startState == null ? DoorState.CLOSED : startState);
    }

    static SimulationConfig defaults() {
        return of(null, null, null);
    }
}
