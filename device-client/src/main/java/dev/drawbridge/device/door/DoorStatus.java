package dev.drawbridge.device.door;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The door's state as far as the device knows it.
 *
 * @param state what the door is doing
 * @param estimated true when the state comes from timing rather than from a reed switch
 * @param problem why the state is doubtful (sensors disagree, travel timeout), or null
 * @param nextMove the direction the next button press starts when the door is {@code stopped}: {@code OPENING} or
 *     {@code CLOSING}; for other states the obvious one
 */
public record DoorStatus(
        DoorState state, boolean estimated, @Nullable String problem, DoorState nextMove) {

    public DoorStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextMove, "nextMove");
    }

    public static DoorStatus unknown() {
        return new DoorStatus(DoorState.UNKNOWN, false, null, DoorState.UNKNOWN);
    }
}
