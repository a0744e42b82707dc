package dev.drawbridge.device.door;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.device.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DoorTrackerTest {

    private static final Duration TRAVEL = Duration.ofSeconds(10);

    private final TestClock clock = new TestClock();

    @Test
    void withBothSwitchesFollowsThemThroughAnOpening() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.UNKNOWN);
        tracker.update(clock.instant(), true, false);
        assertThat(tracker.status()).isEqualTo(new DoorStatus(DoorState.CLOSED, false, null, DoorState.OPENING));

        tracker.pulsed(clock.instant());
        tracker.update(clock.instant(), true, false); // the closed switch has not released yet
        assertThat(tracker.status().state()).isEqualTo(DoorState.OPENING);

        clock.advance(Duration.ofSeconds(1));
        tracker.update(clock.instant(), false, false);
        assertThat(tracker.status().state()).isEqualTo(DoorState.OPENING);

        clock.advance(Duration.ofSeconds(9));
        tracker.update(clock.instant(), false, true);
        assertThat(tracker.status()).isEqualTo(new DoorStatus(DoorState.OPEN, false, null, DoorState.CLOSING));
    }

    @Test
    void withoutSwitchesEstimatesFromTravelTime() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.CLOSED);
        tracker.pulsed(clock.instant());
        clock.advance(TRAVEL.minusMillis(1));
        tracker.update(clock.instant(), null, null);
        assertThat(tracker.status().state()).isEqualTo(DoorState.OPENING);

        clock.advance(Duration.ofMillis(1));
        tracker.update(clock.instant(), null, null);
        assertThat(tracker.status()).isEqualTo(new DoorStatus(DoorState.OPEN, true, null, DoorState.CLOSING));
    }

    @Test
    void withoutSwitchesAndConfiguredStateStaysUnknownEvenAfterAPress() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.UNKNOWN);
        tracker.pulsed(clock.instant());
        clock.advance(TRAVEL.multipliedBy(3));
        tracker.update(clock.instant(), null, null);

        assertThat(tracker.status().state()).isEqualTo(DoorState.UNKNOWN);
    }

    @Test
    void aPressWhileMovingStopsAndTheNextReverses() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.CLOSED);
        tracker.pulsed(clock.instant());
        clock.advance(Duration.ofSeconds(3));
        tracker.pulsed(clock.instant());
        assertThat(tracker.status()).isEqualTo(new DoorStatus(DoorState.STOPPED, true, null, DoorState.CLOSING));

        tracker.pulsed(clock.instant());
        assertThat(tracker.status().state()).isEqualTo(DoorState.CLOSING);
    }

    @Test
    void aDoorThatNeverArrivesRaisesATravelTimeout() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.UNKNOWN);
        tracker.update(clock.instant(), true, false);
        tracker.pulsed(clock.instant());
        clock.advance(Duration.ofSeconds(1));
        tracker.update(clock.instant(), false, false);
        clock.advance(Duration.ofSeconds(14));
        tracker.update(clock.instant(), false, false);

        assertThat(tracker.status())
                .isEqualTo(new DoorStatus(
                        DoorState.STOPPED, true, "travel timeout: not open after 15000 ms", DoorState.CLOSING));
    }

    @Test
    void aDoorThatDoesNotLeaveClosedIsReportedClosedWithAProblem() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.UNKNOWN);
        tracker.update(clock.instant(), true, false);
        tracker.pulsed(clock.instant());
        clock.advance(TRAVEL);
        tracker.update(clock.instant(), true, false);

        assertThat(tracker.status().state()).isEqualTo(DoorState.CLOSED);
        assertThat(tracker.status().problem()).isEqualTo("door did not leave closed within 10000 ms");
    }

    @Test
    void disagreeingSwitchesMakeTheStateUnknownWithAProblem() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.CLOSED);
        tracker.update(clock.instant(), true, true);

        assertThat(tracker.status())
                .isEqualTo(new DoorStatus(
                        DoorState.UNKNOWN, false, "both reed switches report active", DoorState.UNKNOWN));
    }

    @Test
    void movementWithoutACommandIsFollowed() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.UNKNOWN);
        tracker.update(clock.instant(), false, true);
        assertThat(tracker.status().state()).isEqualTo(DoorState.OPEN);

        tracker.update(clock.instant(), false, false); // the wall button
        assertThat(tracker.status().state()).isEqualTo(DoorState.CLOSING);
    }

    @Test
    void bothSwitchesInactiveAtStartMeansStoppedPartWay() {
        DoorTracker tracker = new DoorTracker(TRAVEL, DoorState.UNKNOWN);
        tracker.update(clock.instant(), false, false);

        assertThat(tracker.status().state()).isEqualTo(DoorState.STOPPED);
        assertThat(tracker.status().estimated()).isTrue();
    }
}
