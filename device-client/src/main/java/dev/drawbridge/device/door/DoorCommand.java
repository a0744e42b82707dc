package dev.drawbridge.device.door;

import java.util.Locale;
import java.util.Optional;

/** What a command asks for. Every accepted command is one press of the opener's single button. */
public enum DoorCommand {
    OPEN,
    CLOSE,
    STOP,
    TOGGLE;

    /** The command named by {@code text}, ignoring case and surrounding blanks; empty if there is none. */
    public static Optional<DoorCommand> parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        for (DoorCommand command : values()) {
            if (command.name().equals(name)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }
}
