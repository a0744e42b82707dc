package dev.drawbridge.device.guard;

import dev.drawbridge.device.door.DoorCommand;
import java.util.Optional;

/**
 * The guard's answer to one received command.
 *
 * @param verdict pulse, no-op or rejected
 * @param reason why
 * @param command the command, when the payload named one
 * @param id the strict-mode id, when there was one
 */
public record Decision(Verdict verdict, Reason reason, Optional<DoorCommand> command, Optional<String> id) {

    public boolean pulse() {
        return verdict == Verdict.PULSED;
    }

    static Decision rejected(Reason reason, Optional<DoorCommand> command, Optional<String> id) {
        return new Decision(Verdict.REJECTED, reason, command, id);
    }
}
