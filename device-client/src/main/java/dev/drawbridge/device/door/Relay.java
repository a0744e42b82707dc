package dev.drawbridge.device.door;

import java.time.Duration;

/**
 * The relay across the opener's button. Implementations are thread-safe and start inactive.
 */
public interface Relay extends AutoCloseable {

    /**
     * Closes the relay for {@code length} and returns at once; the relay opens again after {@code length} even if
     * the calling thread is interrupted. A pulse asked for while one is running is ignored and returns false.
     */
    boolean pulse(Duration length);

    /** How many pulses were started since the device started. */
    int pulses();

    /** Forces the relay inactive and releases it. */
    @Override
    void close();
}
