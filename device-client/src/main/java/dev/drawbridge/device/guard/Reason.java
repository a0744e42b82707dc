package dev.drawbridge.device.guard;

/** Why a command was or was not acted on; {@link #code()} is what {@code <base>/event} carries. */
public enum Reason {
    ACCEPTED("accepted", "pressed the button"),
    RETAINED("retained", "retained message: a command stored by the broker is never acted on"),
    SETTLING("settling", "inside the settle window after (re)connecting"),
    UNKNOWN_COMMAND("unknown-command", "not one of OPEN, CLOSE, STOP, TOGGLE"),
    MALFORMED("malformed", "strict mode expects {\"cmd\":..,\"ts\":<epoch ms>,\"id\":..}"),
    STALE("stale", "strict mode: ts is too far from the device's clock"),
    REPLAY("replay", "strict mode: this id was already received"),
    DUPLICATE("duplicate", "the same command was just acted on"),
    TOO_SOON("too-soon", "inside the minimum gap after the last pulse"),
    ALREADY_OPEN("already-open", "the door is already open or opening"),
    ALREADY_CLOSED("already-closed", "the door is already closed or closing"),
    NOT_MOVING("not-moving", "the door is not moving"),
    MOVING("moving", "the door is moving the other way: send STOP first"),
    WRONG_DIRECTION("wrong-direction", "a press would move the stopped door the other way: send TOGGLE"),
    UNKNOWN_STATE("unknown-state", "the door's state is unknown: only TOGGLE may press the button");

    private final String code;
    private final String description;

    Reason(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}
