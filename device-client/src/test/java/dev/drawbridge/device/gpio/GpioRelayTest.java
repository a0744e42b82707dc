package dev.drawbridge.device.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GpioRelayTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final FakeLines.FakeOutput line = new FakeLines.FakeOutput();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void isInactiveFromTheStart() {
        new GpioRelay(line, timer);

        assertThat(line.history).containsExactly(false);
    }

    @Test
    void aPulseSetsTheLineAndTheTimerReleasesIt() {
        GpioRelay relay = new GpioRelay(line, timer);

        assertThat(relay.pulse(Duration.ofMillis(100))).isTrue();
        assertThat(line.active).isTrue();

        await().atMost(Duration.ofSeconds(2)).until(() -> !line.active);
        assertThat(relay.isActive()).isFalse();
        assertThat(relay.pulses()).isEqualTo(1);
    }

    @Test
    void aPulseWhileOneRunsIsIgnored() {
        GpioRelay relay = new GpioRelay(line, timer);
        relay.pulse(Duration.ofMillis(500));

        assertThat(relay.pulse(Duration.ofMillis(500))).isFalse();
        assertThat(relay.pulses()).isEqualTo(1);
    }

    @Test
    void anInterruptedCallerStillGetsThePulseEnded() throws InterruptedException {
        GpioRelay relay = new GpioRelay(line, timer);
        Thread caller = new Thread(() -> {
            Thread.currentThread().interrupt();
            relay.pulse(Duration.ofMillis(100));
        });
        caller.start();
        caller.join();

        await().atMost(Duration.ofSeconds(2)).until(() -> line.history.equals(List.of(false, true, false)));
    }

    @Test
    void theWatchdogReleasesTheLineWhenTheEndOfPulseFails() {
        GpioRelay relay = new GpioRelay(line, timer);
        line.releasesToFail.set(1);
        relay.pulse(Duration.ofMillis(100));

        await().atMost(Duration.ofSeconds(2)).until(() -> !line.active);
        assertThat(line.history).containsExactly(false, true, false);
    }

    @Test
    void pulseLengthsOutsideTheRangeAreRefused() {
        GpioRelay relay = new GpioRelay(line, timer);

        assertThatThrownBy(() -> relay.pulse(Duration.ofMillis(99)))
                .hasMessage("relay pulse: expected 100 ms to 2000 ms, found 99 ms");
        assertThatThrownBy(() -> relay.pulse(Duration.ofMillis(2001)))
                .hasMessage("relay pulse: expected 100 ms to 2000 ms, found 2001 ms");
        assertThat(line.history).containsExactly(false);
    }

    @Test
    void closeForcesTheLineInactiveAndReleasesIt() {
        GpioRelay relay = new GpioRelay(line, timer);
        relay.pulse(Duration.ofMillis(2000));

        relay.close();

        assertThat(line.active).isFalse();
        assertThat(line.released).isTrue();
    }
}
