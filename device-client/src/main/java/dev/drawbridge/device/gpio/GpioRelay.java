package dev.drawbridge.device.gpio;

import dev.drawbridge.device.config.RelayConfig;
import dev.drawbridge.device.door.Relay;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay on a GPIO output. A pulse sets the line active and schedules its release on the timer thread, so an
 * interrupted caller cannot leave the button held; a watchdog forces the line inactive again {@link #WATCHDOG_MARGIN}
 * after the pulse should have ended, and {@link #close()} (also run by the shutdown hook) forces it inactive.
 */
public final class GpioRelay implements Relay {

    private static final Logger LOG = LoggerFactory.getLogger(GpioRelay.class);

    /** How long after a pulse's end the watchdog forces the line inactive. */
    static final Duration WATCHDOG_MARGIN = Duration.ofMillis(250);

    private final GpioLines.OutputLine line;
    private final ScheduledExecutorService timer;
    private boolean active;
    private int pulses;
    private long generation;

    /** @param timer the thread that ends pulses; not the caller's */
    public GpioRelay(GpioLines.OutputLine line, ScheduledExecutorService timer) {
        this.line = line;
        this.timer = timer;
        line.set(false);
    }

    @Override
    public synchronized boolean pulse(Duration length) {
        if (length.compareTo(RelayConfig.MIN_PULSE) < 0 || length.compareTo(RelayConfig.MAX_PULSE) > 0) {
            throw new IllegalArgumentException(
                    "relay pulse: expected 100 ms to 2000 ms, found " + length.toMillis() + " ms");
        }
        if (active) {
            return false;
        }
        long pulse = ++generation;
        try {
            timer.schedule(() -> release(pulse, "end of pulse"), length.toMillis(), TimeUnit.MILLISECONDS);
            timer.schedule(
                    () -> release(pulse, "watchdog"),
                    length.plus(WATCHDOG_MARGIN).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            throw new IllegalStateException("relay timer unavailable: pulse not started", e);
        }
        active = true;
        pulses++;
        line.set(true);
        return true;
    }

    private synchronized void release(long pulse, String why) {
        if (pulse != generation) {
            return;
        }
        if (active || why.equals("watchdog")) {
            line.set(false);
        }
        if (active && why.equals("watchdog")) {
            LOG.warn("Relay watchdog released the line: the end of the pulse did not run");
        }
        active = false;
    }

    /** Whether the relay is closed now. */
    public synchronized boolean isActive() {
        return active;
    }

    @Override
    public synchronized int pulses() {
        return pulses;
    }

    @Override
    public synchronized void close() {
        generation++;
        active = false;
        try {
            line.set(false);
        } finally {
            line.close();
        }
    }
}
