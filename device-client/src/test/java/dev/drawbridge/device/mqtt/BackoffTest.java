package dev.drawbridge.device.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Backoff backoff(double random) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> random);
    }

    @Test
    void doublesFromTheInitialDelay() {
        Backoff middle = backoff(0.5);

        assertThat(middle.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(middle.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.delay(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(middle.delay(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(middle.delay(1000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void spreadsByAQuarterEitherWayButNeverAboveTheCap() {
        assertThat(backoff(0.0).delay(1)).isEqualTo(Duration.ofMillis(750));
        assertThat(backoff(0.999).delay(1)).isEqualTo(Duration.ofMillis(1250));
        assertThat(backoff(0.0).delay(7)).isEqualTo(Duration.ofSeconds(45));
        assertThat(backoff(0.999).delay(7)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
                .hasMessage("backoff: expected 0 < initial <= max, found initial PT2S, max PT1S");
    }
}
