package dev.drawbridge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartDelayTest {

    private static List<Long> waits(RestartDelay delay, int count) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waits.add(delay.next().toSeconds());
        }
        return waits;
    }

    @Test
    void aConstantRestartTimeoutWaitsTheSameEveryTime() {
        var restart = new BridgeConfig.Restart(Duration.ofSeconds(20), Optional.empty());
        RestartDelay delay = new RestartDelay(restart, (low, high) -> {
            throw new AssertionError("no jitter without a cap");
        });

        assertThat(waits(delay, 3)).containsExactly(20L, 20L, 20L);
    }

    @Test
    void decorrelatedJitterDrawsBetweenTheBaseAndThreeTimesTheLastWaitUpToTheCap() {
        var restart = new BridgeConfig.Restart(Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30)));
        List<int[]> asked = new ArrayList<>();
        // Always the highest value allowed (high is excluded): the waits grow by three until the cap.
        RestartDelay delay = new RestartDelay(restart, (low, high) -> {
            asked.add(new int[] {low, high});
            return high - 1;
        });

        assertThat(waits(delay, 4)).containsExactly(5L, 14L, 30L, 30L);
        assertThat(asked.get(0)).containsExactly(5, 15);
        assertThat(asked.get(1)).containsExactly(5, 42);
    }

    @Test
    void aConnectionMadeStartsAgainFromTheBase() {
        var restart = new BridgeConfig.Restart(Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30)));
        RestartDelay delay = new RestartDelay(restart, (low, high) -> high - 1);
        waits(delay, 3);

        delay.reset();

        assertThat(delay.next()).isEqualTo(Duration.ofSeconds(5));
    }
}
