package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code relay:} section: what presses the opener's button.
 *
 * @param backend {@code simulated} (default: an in-memory door, for laptops and tests) or {@code gpio} (a Linux GPIO
 *     line through the character device)
 * @param pin the BCM GPIO number driving the relay (required for {@code gpio}); 0–8 are refused unless
 *     {@code allow-pull-up-pins} because they are pulled high at boot
 * @param activeHigh whether the relay closes when the line is high, default true
 * @param pulse how long the button is held, 100–2000 ms, default 500 ms
 * @param allowPullUpPins accept pins 0–8 anyway, default false
 */
public record RelayConfig(
        Backend backend, @Nullable Integer pin, boolean activeHigh, Duration pulse, boolean allowPullUpPins) {

    /** The minimum and maximum pulse length. */
    public static final Duration MIN_PULSE = Duration.ofMillis(100);

    public static final Duration MAX_PULSE = Duration.ofMillis(2000);

    /** Where the relay and the reed switches are. */
    public enum Backend {
        SIMULATED,
        GPIO
    }

    @JsonCreator
    static RelayConfig of(
            @JsonProperty("backend") @Nullable Backend backend,
            @JsonProperty("pin") @Nullable Integer pin,
            @JsonProperty("active-high") @Nullable Boolean activeHigh,
            @JsonProperty("pulse") @Nullable Duration pulse,
            @JsonProperty("allow-pull-up-pins") @Nullable Boolean allowPullUpPins) {
        return new RelayConfig(
                backend == null ? Backend.SIMULATED : backend,
                pin,
                activeHigh == null || activeHigh,
                pulse == null ? Duration.ofMillis(500) : pulse,
                allowPullUpPins != null && allowPullUpPins);
    }

    static RelayConfig defaults() {
        return of(null, null, null, null, null);
    }
}
