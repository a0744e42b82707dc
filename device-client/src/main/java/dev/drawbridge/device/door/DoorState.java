package dev.drawbridge.device.door;

import java.util.Locale;

/** What the door is doing, as published on {@code <base>/state} (the lower-case name, Home Assistant's values). */
public enum DoorState {
    OPEN,
    OPENING,
    CLOSED,
    CLOSING,
    STOPPED,
    UNKNOWN;

    /** The payload: {@code open}, {@code opening}, ... */
    public String payload() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the door is travelling. */
    public boolean moving() {
        return this == OPENING || this == CLOSING;
    }
}
