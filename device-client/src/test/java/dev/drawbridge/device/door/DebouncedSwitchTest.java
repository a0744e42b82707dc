package dev.drawbridge.device.door;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.device.TestClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DebouncedSwitchTest {

    private final TestClock clock = new TestClock();
    private final AtomicBoolean raw = new AtomicBoolean(true);
    private final DebouncedSwitch debounced = new DebouncedSwitch(raw::get, Duration.ofMillis(50));

    @Test
    void startsWithTheCurrentReading() {
        assertThat(debounced.value()).isTrue();
    }

    @Test
    void aChangeCountsOnceStableForTheDebounceTime() {
        raw.set(false);
        assertThat(debounced.sample(clock.instant())).isTrue();
        clock.advance(Duration.ofMillis(49));
        assertThat(debounced.sample(clock.instant())).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(debounced.sample(clock.instant())).isFalse();
    }

    @Test
    void bounceRestartsTheWait() {
        raw.set(false);
        debounced.sample(clock.instant());
        clock.advance(Duration.ofMillis(30));
        raw.set(true);
        debounced.sample(clock.instant());
        raw.set(false);
        clock.advance(Duration.ofMillis(10));
        debounced.sample(clock.instant());
        clock.advance(Duration.ofMillis(40));
        assertThat(debounced.sample(clock.instant())).isTrue();
        clock.advance(Duration.ofMillis(10));
        assertThat(debounced.sample(clock.instant())).isFalse();
    }
}
