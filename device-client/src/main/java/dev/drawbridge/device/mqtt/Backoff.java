package dev.drawbridge.device.mqtt;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: {@code initial} doubled after every failed attempt up to {@code max}, each spread by ±25 % so that
 * devices restarted together do not reconnect together, and never above {@code max}.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /**
     * @param random uniform values in [0, 1)
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff: expected 0 < initial <= max, found initial " + initial + ", max " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay before attempt {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        long base = initial.toMillis();
        for (int i = 1; i < attempt && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        double jitter = 0.75 + 0.5 * random.getAsDouble();
        return Duration.ofMillis(Math.min(max.toMillis(), Math.max(1, Math.round(base * jitter))));
    }
}
