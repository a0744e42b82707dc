package dev.drawbridge.device.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.config.RelayConfig;
import dev.drawbridge.device.config.SensorConfig;
import dev.drawbridge.device.door.DoorHardware;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GpioDoorTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final FakeLines lines = new FakeLines();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static DeviceConfig config(SensorConfig sensors) {
        return DeviceConfig.defaults()
                .withHardware(
                        new RelayConfig(RelayConfig.Backend.GPIO, 17, true, Duration.ofMillis(500), false), sensors);
    }

    @Test
    void requestsTheRelayInactiveAndReadsTheSwitches() {
        DoorHardware hardware =
                GpioDoor.open(config(new SensorConfig(22, 23, true, Duration.ofMillis(50))), lines, timer);

        assertThat(lines.outputs.get(17).history).containsExactly(false);
        lines.inputs.get(22).set(true);
        assertThat(hardware.closedSwitch().orElseThrow().isActive()).isTrue();
        assertThat(hardware.openSwitch().orElseThrow().isActive()).isFalse();
        assertThat(hardware.description())
                .isEqualTo("gpio relay GPIO17 active-high, closed switch GPIO22, open switch GPIO23");
    }

    @Test
    void withoutSensorPinsHasNoSwitches() {
        DoorHardware hardware = GpioDoor.open(config(new SensorConfig(null, null, true, Duration.ZERO)), lines, timer);

        assertThat(hardware.closedSwitch()).isEmpty();
        assertThat(hardware.openSwitch()).isEmpty();
    }

    @Test
    void closingForcesTheRelayInactiveAndReleasesTheChip() {
        DoorHardware hardware = GpioDoor.open(config(new SensorConfig(null, null, true, Duration.ZERO)), lines, timer);
        hardware.relay().pulse(Duration.ofMillis(2000));

        hardware.close();

        assertThat(lines.outputs.get(17).active).isFalse();
        assertThat(lines.outputs.get(17).released).isTrue();
        assertThat(lines.closed).isTrue();
    }
}
