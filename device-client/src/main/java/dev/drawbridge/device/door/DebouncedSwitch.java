package dev.drawbridge.device.door;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A reed switch read by polling, whose reading counts only once it has stayed the same for the debounce time. Not
 * thread-safe: sampled by the door thread only.
 */
public final class DebouncedSwitch {

    private final ContactSensor sensor;
    private final Duration debounce;
    private boolean stable;
    private boolean candidate;
    private @Nullable Instant candidateSince;

    /** Starts with the switch's current reading as the stable one: at start there is nothing to debounce against. */
    public DebouncedSwitch(ContactSensor sensor, Duration debounce) {
        this.sensor = sensor;
        this.debounce = debounce;
        this.stable = sensor.isActive();
        this.candidate = stable;
    }

    /** Reads the switch at {@code now} and returns the debounced value. */
    public boolean sample(Instant now) {
        boolean reading = sensor.isActive();
        if (reading == stable) {
            candidate = stable;
            candidateSince = null;
            return stable;
        }
        if (candidateSince == null || reading != candidate) {
            candidate = reading;
            candidateSince = now;
        }
        if (!now.isBefore(candidateSince.plus(debounce))) {
            stable = reading;
            candidateSince = null;
        }
        return stable;
    }

    /** The last debounced value. */
    public boolean value() {
        return stable;
    }
}
