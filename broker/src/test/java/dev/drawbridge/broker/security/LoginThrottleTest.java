package dev.drawbridge.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long a refused login waits, on a clock the test moves. */
class LoginThrottleTest {

    private Instant now = Instant.parse("2026-12-07T12:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void threeRefusalsAreFreeThenEachWaitsTwiceAsLongUpToThirtySeconds() {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            waits.add(throttle.failed("192.0.2.7").toMillis());
        }

        assertThat(waits)
                .containsExactly(0L, 0L, 0L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(throttle.failed("198.51.100.1")).as("another address").isZero();
    }

    @Test
    void aSuccessOrAQuarterHourOfQuietClearsTheCount() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("192.0.2.7");
        }
        throttle.succeeded("192.0.2.7");
        assertThat(throttle.failed("192.0.2.7")).isZero();

        for (int i = 0; i < 5; i++) {
            throttle.failed("192.0.2.8");
        }
        now = now.plus(Duration.ofMinutes(16));
        assertThat(throttle.failed("192.0.2.8")).isZero();
    }
}
