package dev.drawbridge.device.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.device.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedDoorTest {

    private static final Duration TRAVEL = Duration.ofSeconds(10);

    private final TestClock clock = new TestClock();
    private final SimulatedDoor door = new SimulatedDoor(clock, TRAVEL, DoorState.CLOSED);
    private final DoorHardware hardware = door.hardware(true);

    private boolean closed() {
        return hardware.closedSwitch().orElseThrow().isActive();
    }

    private boolean open() {
        return hardware.openSwitch().orElseThrow().isActive();
    }

    @Test
    void opensOverTheTravelTime() {
        assertThat(closed()).isTrue();

        assertThat(hardware.relay().pulse(Duration.ofMillis(500))).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(door.position()).isEqualTo(0.5);
        assertThat(closed()).isFalse();
        assertThat(open()).isFalse();

        clock.advance(Duration.ofSeconds(6));
        assertThat(door.position()).isEqualTo(1.0);
        assertThat(open()).isTrue();
        assertThat(hardware.relay().pulses()).isEqualTo(1);
    }

    @Test
    void aPressWhileMovingStopsItAndTheNextGoesBack() {
        door.press();
        clock.advance(Duration.ofSeconds(4));
        door.press();
        clock.advance(Duration.ofSeconds(4));
        assertThat(door.position()).isEqualTo(0.4);

        door.press();
        clock.advance(Duration.ofSeconds(2));
        assertThat(door.position()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        clock.advance(Duration.ofSeconds(5));
        assertThat(closed()).isTrue();
        assertThat(door.presses()).isEqualTo(3);
    }

    @Test
    void closesFromOpen() {
        SimulatedDoor openDoor = new SimulatedDoor(clock, TRAVEL, DoorState.OPEN);
        openDoor.press();
        clock.advance(TRAVEL);

        assertThat(openDoor.position()).isEqualTo(0.0);
    }

    @Test
    void withoutReedSwitchesHasNone() {
        DoorHardware bare = door.hardware(false);

        assertThat(bare.closedSwitch()).isEmpty();
        assertThat(bare.openSwitch()).isEmpty();
    }

    @Test
    void startsOnlyAtAnEnd() {
        assertThatThrownBy(() -> new SimulatedDoor(clock, TRAVEL, DoorState.OPENING))
                .hasMessage("simulated door: expected start closed or open, found OPENING");
    }
}
