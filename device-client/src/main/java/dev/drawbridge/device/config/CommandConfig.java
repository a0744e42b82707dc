package dev.drawbridge.device.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code commands:} section: when a received command may move the door.
 *
 * @param settle after every (re)connect, commands are refused for this long, default 5 s
 * @param minGap the shortest time between two relay pulses, default 1.5 s
 * @param duplicateWindow the same command repeated within this time of the one acted on is a duplicate delivery and
 *     refused, default 3 s
 * @param strict when true only JSON commands {@code {"cmd":"OPEN","ts":<epoch ms>,"id":"<unique>"}} are accepted,
 *     default false; needs a clock synchronised by NTP on both sides
 * @param maxAge in strict mode, how far {@code ts} may be from the device's clock, default 10 s
 */
public record CommandConfig(
        Duration settle, Duration minGap, Duration duplicateWindow, boolean strict, Duration maxAge) {

    @JsonCreator
    static CommandConfig of(
            @JsonProperty("settle") @Nullable Duration settle,
            @JsonProperty("min-gap") @Nullable Duration minGap,
            @JsonProperty("duplicate-window") @Nullable Duration duplicateWindow,
            @JsonProperty("strict") @Nullable Boolean strict,
            @JsonProperty("max-age") @Nullable Duration maxAge) {
        return new CommandConfig(
                settle == null ? Duration.ofSeconds(5) : settle,
                minGap == null ? Duration.ofMillis(1500) : minGap,
                duplicateWindow == null ? Duration.ofSeconds(3) : duplicateWindow,
                strict != null && strict,
                maxAge == null ? Duration.ofSeconds(10) : maxAge);
    }

    /** The defaults: settle 5 s, gap 1.5 s, duplicates 3 s, plain commands. */
    public static CommandConfig defaults() {
        return of(null, null, null, null, null);
    }
}
