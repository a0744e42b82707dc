package dev.drawbridge.device.door;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Follows the door's state from relay pulses, reed switches and time. A reed switch, when fitted, always wins; between
 * them the state is estimated from the travel time and flagged as estimated. A door still travelling after 1.5 times
 * the travel time is reported {@code stopped} with a problem, and so are two switches active at once.
 *
 * <p>Not thread-safe: driven by the door thread only.
 */
public final class DoorTracker {

    private final Duration travelTime;
    private final Duration timeout;
    private DoorState state;
    private boolean estimated;
    private @Nullable String problem;
    private DoorState lastDirection = DoorState.CLOSING;
    private Instant motionStart = Instant.EPOCH;

    /**
     * @param travelTime how long a full open or close takes
     * @param initialState the state assumed until a switch says otherwise ({@code UNKNOWN} unless configured)
     */
    public DoorTracker(Duration travelTime, DoorState initialState) {
        this.travelTime = travelTime;
        this.timeout = travelTime.plus(travelTime.dividedBy(2));
        this.state = initialState;
        this.estimated = initialState != DoorState.UNKNOWN;
    }

    public DoorStatus status() {
        DoorState next = switch (state) {
            case CLOSED -> DoorState.OPENING;
            case OPEN -> DoorState.CLOSING;
            case STOPPED -> lastDirection == DoorState.OPENING ? DoorState.CLOSING : DoorState.OPENING;
            case OPENING, CLOSING -> DoorState.STOPPED;
            case UNKNOWN -> DoorState.UNKNOWN;
        };
        return new DoorStatus(state, estimated, problem, next);
    }

    /** The relay pressed the button at {@code now}: a one-button opener starts, stops or reverses. */
    public void pulsed(Instant now) {
        switch (state) {
            case CLOSED -> move(DoorState.OPENING, now);
            case OPEN -> move(DoorState.CLOSING, now);
            case STOPPED -> move(lastDirection == DoorState.OPENING ? DoorState.CLOSING : DoorState.OPENING, now);
            case OPENING, CLOSING -> {
                lastDirection = state;
                set(DoorState.STOPPED, true, null);
            }
            case UNKNOWN -> {
                // Nothing is known about where a press from an unknown state leads; a switch will tell.
            }
        }
    }

    /**
     * Takes the debounced switch readings at {@code now}; {@code null} for a switch that is not fitted. Called on
     * every poll, so that travel estimates and timeouts advance with time.
     */
    public void update(Instant now, @Nullable Boolean closed, @Nullable Boolean open) {
        boolean atClosed = Boolean.TRUE.equals(closed);
        boolean atOpen = Boolean.TRUE.equals(open);
        if (atClosed && atOpen) {
            set(DoorState.UNKNOWN, false, "both reed switches report active");
        } else if (atClosed) {
            atEnd(now, DoorState.CLOSED, DoorState.OPENING, "did not leave closed");
        } else if (atOpen) {
            atEnd(now, DoorState.OPEN, DoorState.CLOSING, "did not leave open");
        } else {
            between(now, closed != null, open != null);
        }
    }

    private void atEnd(Instant now, DoorState end, DoorState leaving, String stuck) {
        if (state == leaving && !elapsed(now, travelTime)) {
            return; // the switch has not released yet after our pulse
        }
        set(end, false, state == leaving ? "door " + stuck + " within " + travelTime.toMillis() + " ms" : null);
    }

    private void between(Instant now, boolean hasClosed, boolean hasOpen) {
        switch (state) {
            case CLOSED -> {
                if (hasClosed) {
                    move(DoorState.OPENING, now); // moved without a command: wall button or remote
                }
            }
            case OPEN -> {
                if (hasOpen) {
                    move(DoorState.CLOSING, now);
                }
            }
            case OPENING -> arrive(now, DoorState.OPEN, hasOpen);
            case CLOSING -> arrive(now, DoorState.CLOSED, hasClosed);
            case UNKNOWN -> {
                if (hasClosed && hasOpen) {
                    set(DoorState.STOPPED, true, null); // part-way, by both switches
                }
            }
            case STOPPED -> {
                // stays stopped until a pulse or a switch
            }
        }
    }

    private void arrive(Instant now, DoorState end, boolean hasSwitch) {
        if (!hasSwitch && elapsed(now, travelTime)) {
            set(end, true, null);
        } else if (hasSwitch && elapsed(now, timeout)) {
            lastDirection = state;
            set(
                    DoorState.STOPPED,
                    true,
                    "travel timeout: not " + end.payload() + " after " + timeout.toMillis() + " ms");
        }
    }

    private boolean elapsed(Instant now, Duration duration) {
        return !now.isBefore(motionStart.plus(duration));
    }

    private void move(DoorState direction, Instant now) {
        lastDirection = direction;
        motionStart = now;
        set(direction, true, null);
    }

    private void set(DoorState newState, boolean newEstimated, @Nullable String newProblem) {
        state = newState;
        estimated = newEstimated;
        problem = newProblem;
    }
}
