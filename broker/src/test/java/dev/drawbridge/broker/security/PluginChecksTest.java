package dev.drawbridge.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code -Ddrawbridge.pluginDeadlineMillis}: the deadline of one plugin call, or a start error naming what is allowed. */
class PluginChecksTest {

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({"1, 1", "1000, 1000", "' 250 ', 250", "60000, 60000"})
    void aWholeNumberOfMillisecondsFrom1To60000IsTheDeadline(String value, long millis) throws Exception {
        assertThat(PluginChecks.deadline(value)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"0", "-5", "60001", "1s", "''", "1.5"})
    void anythingElseIsRefusedWithTheAllowedRange(String value) {
        assertThatThrownBy(() -> PluginChecks.deadline(value))
                .isInstanceOfSatisfying(
                        RulesException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "-Ddrawbridge.pluginDeadlineMillis: expected a whole number of milliseconds"
                                                + " from 1 to 60000, found '" + value + "'"));
    }

    @Test
    void unsetIsOneSecond() throws Exception {
        assertThat(PluginChecks.deadline(null)).isEqualTo(Duration.ofSeconds(1));
    }
}
