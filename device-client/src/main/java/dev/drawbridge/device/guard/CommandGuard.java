package dev.drawbridge.device.guard;

import dev.drawbridge.device.config.CommandConfig;
import dev.drawbridge.device.door.DoorCommand;
import dev.drawbridge.device.door.DoorState;
import dev.drawbridge.device.door.DoorStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a received command presses the button. In order, a command is refused when it is retained, arrives
 * inside the settle window after (re)connecting, names no command (or, in strict mode, is malformed, stale or a
 * replay), repeats the command just acted on within the duplicate window, or comes inside the minimum gap after the
 * last pulse. Then the door's state decides: OPEN only from closed (or stopped when the next press opens), CLOSE
 * only from open (or stopped when the next press closes), STOP only while moving, TOGGLE always. While the state is
 * unknown only TOGGLE presses the button: OPEN or CLOSE could move the door the wrong way.
 *
 * <p>Not thread-safe: called by the door thread only. Time comes from the clock given, so tests control it.
 */
public final class CommandGuard {

    private final CommandConfig config;
    private final Clock clock;
    private final ReplayCache replays;
    private @Nullable Instant connectedAt;
    private @Nullable Instant lastPulse;
    private @Nullable DoorCommand lastActed;

    public CommandGuard(CommandConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.replays = new ReplayCache(config.maxAge());
    }

    /** The connection to the broker was (re)established now: the settle window starts. */
    public void connected() {
        connectedAt = clock.instant();
    }

    /** The connection is gone: until the next {@link #connected()} every command is refused as settling. */
    public void disconnected() {
        connectedAt = null;
    }

    /** Decides on {@code message} given the door's {@code status}; a pulse decision is recorded as the last pulse. */
    public Decision decide(ReceivedCommand message, DoorStatus status) {
        Instant now = clock.instant();
        Optional<String> id = Optional.empty();
        @Nullable Instant sentAt = null;
        String text = message.payload();
        if (config.strict()) {
            Optional<StrictCommand> strict = StrictCommand.parse(text);
            if (strict.isEmpty()) {
                return Decision.rejected(message.retained() ? Reason.RETAINED : Reason.MALFORMED, Optional.empty(), id);
            }
            text = strict.get().commandText();
            id = Optional.of(strict.get().id());
            sentAt = strict.get().timestamp();
        }
        Optional<DoorCommand> command = DoorCommand.parse(text);
        Reason refusal = refusal(message, command, id, sentAt, now);
        if (refusal != Reason.ACCEPTED) {
            return Decision.rejected(refusal, command, id);
        }
        DoorCommand wanted = command.orElseThrow();
        Reason byState = byState(wanted, status);
        if (byState != Reason.ACCEPTED) {
            Verdict verdict = isNoop(byState) ? Verdict.NOOP : Verdict.REJECTED;
            return new Decision(verdict, byState, command, id);
        }
        lastPulse = now;
        lastActed = wanted;
        return new Decision(Verdict.PULSED, Reason.ACCEPTED, command, id);
    }

    private Reason refusal(
            ReceivedCommand message,
            Optional<DoorCommand> command,
            Optional<String> id,
            @Nullable Instant sentAt,
            Instant now) {
        if (message.retained()) {
            return Reason.RETAINED;
        }
        if (connectedAt == null || now.isBefore(connectedAt.plus(config.settle()))) {
            return Reason.SETTLING;
        }
        if (command.isEmpty()) {
            return Reason.UNKNOWN_COMMAND;
        }
        if (sentAt != null && Duration.between(sentAt, now).abs().compareTo(config.maxAge()) > 0) {
            return Reason.STALE;
        }
        if (id.isPresent() && !replays.firstTime(id.get(), now)) {
            return Reason.REPLAY;
        }
        if (lastPulse != null && command.get() == lastActed && now.isBefore(lastPulse.plus(config.duplicateWindow()))) {
            return Reason.DUPLICATE;
        }
        if (lastPulse != null && now.isBefore(lastPulse.plus(config.minGap()))) {
            return Reason.TOO_SOON;
        }
        return Reason.ACCEPTED;
    }

    private static Reason byState(DoorCommand command, DoorStatus status) {
        DoorState state = status.state();
        if (state == DoorState.UNKNOWN) {
            return command == DoorCommand.TOGGLE ? Reason.ACCEPTED : Reason.UNKNOWN_STATE;
        }
        return switch (command) {
            case TOGGLE -> Reason.ACCEPTED;
            case STOP -> state.moving() ? Reason.ACCEPTED : Reason.NOT_MOVING;
            case OPEN -> towards(state, status.nextMove(), DoorState.OPENING, Reason.ALREADY_OPEN);
            case CLOSE -> towards(state, status.nextMove(), DoorState.CLOSING, Reason.ALREADY_CLOSED);
        };
    }

    private static Reason towards(DoorState state, DoorState nextMove, DoorState wanted, Reason already) {
        DoorState end = wanted == DoorState.OPENING ? DoorState.OPEN : DoorState.CLOSED;
        if (state == end || state == wanted) {
            return already;
        }
        if (state.moving()) {
            return Reason.MOVING;
        }
        if (state == DoorState.STOPPED && nextMove != wanted) {
            return Reason.WRONG_DIRECTION;
        }
        return Reason.ACCEPTED;
    }

    private static boolean isNoop(Reason reason) {
        return reason == Reason.ALREADY_OPEN || reason == Reason.ALREADY_CLOSED || reason == Reason.NOT_MOVING;
    }
}
