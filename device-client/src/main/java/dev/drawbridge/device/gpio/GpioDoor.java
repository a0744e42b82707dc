package dev.drawbridge.device.gpio;

import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.config.RelayConfig;
import dev.drawbridge.device.config.SensorConfig;
import dev.drawbridge.device.door.ContactSensor;
import dev.drawbridge.device.door.DoorHardware;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** Builds the door's hardware from GPIO lines: the relay first (inactive), then the optional reed switches. */
public final class GpioDoor {

    private GpioDoor() {}

    /** Requests the configured lines from {@code lines}; {@code timer} ends relay pulses. */
    public static DoorHardware open(DeviceConfig config, GpioLines lines, ScheduledExecutorService timer) {
        RelayConfig relay = config.relay();
        SensorConfig sensors = config.sensors();
        int relayPin = Objects.requireNonNull(relay.pin(), "relay.pin");
        GpioRelay gpioRelay = new GpioRelay(lines.output(relayPin, relay.activeHigh()), timer);
        Optional<ContactSensor> closed = Optional.ofNullable(sensors.closedPin())
                .map(pin -> lines.input(pin, sensors.activeLow()))
                .map(line -> line::isActive);
        Optional<ContactSensor> open = Optional.ofNullable(sensors.openPin())
                .map(pin -> lines.input(pin, sensors.activeLow()))
                .map(line -> line::isActive);
        String description = "gpio relay GPIO" + relayPin + (relay.activeHigh() ? " active-high" : " active-low")
                + closed.map(c -> ", closed switch GPIO" + sensors.closedPin()).orElse("")
                + open.map(o -> ", open switch GPIO" + sensors.openPin()).orElse("");
        return new DoorHardware(gpioRelay, closed, open, description, lines::close);
    }
}
