package dev.drawbridge.device.door;

/** A reed switch at one end of the door's travel. Thread-safe; reading is cheap enough to poll. */
@FunctionalInterface
public interface ContactSensor {

    /** Whether the switch is closed (the door is at this end), undebounced. */
    boolean isActive();
}
