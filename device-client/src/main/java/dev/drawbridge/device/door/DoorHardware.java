package dev.drawbridge.device.door;

import java.util.Optional;

/**
 * The relay and the optional reed switches of one door, as a backend provides them.
 *
 * @param relay the relay across the opener's button
 * @param closedSwitch the switch active when fully closed, if fitted
 * @param openSwitch the switch active when fully open, if fitted
 * @param description what is in use, for the log (e.g. {@code gpio relay GPIO17})
 * @param onClose what releases the backend, run after the relay is closed
 */
public record DoorHardware(
        Relay relay,
        Optional<ContactSensor> closedSwitch,
        Optional<ContactSensor> openSwitch,
        String description,
        Runnable onClose)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            relay.close();
        } finally {
            onClose.run();
        }
    }
}
