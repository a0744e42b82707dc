package dev.drawbridge.device.door;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A garage door in memory: a one-button opener with a travel time and, optionally, reed switches at both ends. A
 * press starts a still door (away from the end it is at, else the other way from its last run), and stops a moving
 * one. For laptops and tests; thread-safe.
 */
public final class SimulatedDoor {

    private final Clock clock;
    private final Duration travelTime;
    private double startPosition;
    private int direction;
    private int lastDirection = -1;
    private Instant motionStart;
    private int presses;

    /** A door at {@code start} ({@code CLOSED} or {@code OPEN}). */
    public SimulatedDoor(Clock clock, Duration travelTime, DoorState start) {
        if (start != DoorState.CLOSED && start != DoorState.OPEN) {
            throw new IllegalArgumentException("simulated door: expected start closed or open, found " + start);
        }
        this.clock = clock;
        this.travelTime = travelTime;
        this.startPosition = start == DoorState.OPEN ? 1.0 : 0.0;
        this.motionStart = clock.instant();
    }

    /** The position at this moment, 0 closed to 1 open. */
    public synchronized double position() {
        if (direction == 0) {
            return startPosition;
        }
        double travelled =
                (double) Duration.between(motionStart, clock.instant()).toNanos() / travelTime.toNanos();
        double position = Math.max(0.0, Math.min(1.0, startPosition + direction * travelled));
        if (position == 0.0 || position == 1.0) {
            startPosition = position;
            direction = 0;
        }
        return position;
    }

    /** Presses the opener's button. */
    public synchronized void press() {
        double position = position();
        presses++;
        if (direction != 0) {
            startPosition = position;
            direction = 0;
            return;
        }
        if (position <= 0.0) {
            direction = 1;
        } else if (position >= 1.0) {
            direction = -1;
        } else {
            direction = -lastDirection;
        }
        lastDirection = direction;
        startPosition = position;
        motionStart = clock.instant();
    }

    /** How many times the button was pressed. */
    public synchronized int presses() {
        return presses;
    }

    /** The door as hardware: a relay that presses the button, and reed switches when {@code reedSwitches}. */
    public DoorHardware hardware(boolean reedSwitches) {
        ContactSensor closed = () -> position() <= 0.0;
        ContactSensor open = () -> position() >= 1.0;
        return new DoorHardware(
                new SimulatedRelay(),
                reedSwitches ? Optional.of(closed) : Optional.empty(),
                reedSwitches ? Optional.of(open) : Optional.empty(),
                "simulated door (travel " + travelTime.toMillis() + " ms, reed switches " + reedSwitches + ")",
                () -> {});
    }

    /** Presses the button at the start of a pulse; the pulse's length only matters to a real opener. */
    private final class SimulatedRelay implements Relay {
        @Override
        public boolean pulse(Duration length) {
            press();
            return true;
        }

        @Override
        public int pulses() {
            return presses();
        }

        @Override
        public void close() {
            // nothing is held
        }
    }
}
