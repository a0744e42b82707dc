package dev.drawbridge.broker.bridge;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.IntBinaryOperator;

/**
 * How long a bridge waits before it connects again ({@code restart_timeout}), as Mosquitto's {@code src/bridge.c}
 * reckons it: a constant {@code base}, or with a {@code cap} AWS's "decorrelated jitter" (each wait drawn between the
 * base and three times the previous one, at most the cap), back to the base once a connection is made.
 */
final class RestartDelay {

    private final long base;
    private final long cap;
    private final IntBinaryOperator between;
    private long current;

    /** @param between a number from the first argument (included) to the second (excluded) */
    RestartDelay(BridgeConfig.Restart restart, IntBinaryOperator between) {
        this.base = restart.base().toSeconds();
        this.cap = restart.cap().map(Duration::toSeconds).orElse(0L);
        this.between = between;
        this.current = base;
    }

    static RestartDelay of(BridgeConfig.Restart restart) {
        SecureRandom random = new SecureRandom();
        return new RestartDelay(restart, (low, high) -> low + random.nextInt(high - low));
    }

    /** The wait before the next attempt; with a cap, the one after it is drawn now. */
    Duration next() {
        long wait = current;
        if (cap > 0) {
            long high = Math.min(current * 3, Integer.MAX_VALUE);
            current = Math.min(cap, high > base ? between.applyAsInt((int) base, (int) high) : base);
        }
        return Duration.ofSeconds(wait);
    }

    /** A connection was made: the next wait is the base again. */
    void reset() {
        current = base;
    }
}
