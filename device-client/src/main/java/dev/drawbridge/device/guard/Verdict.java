package dev.drawbridge.device.guard;

import java.util.Locale;

/** What happens to a command: the relay is pulsed, nothing needed doing, or it was refused. */
public enum Verdict {
    PULSED,
    NOOP,
    REJECTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
