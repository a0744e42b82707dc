package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code -Ddrawbridge.ioThreads}: how many I/O threads, or a start error naming what is allowed. */
class ListenerGroupTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 1", "4, 4", "' 2 ', 2", "256, 256"})
    void aWholeNumberFrom1To256IsTheNumberOfIoThreads(String value, int threads) {
        assertThat(ListenerGroup.ioThreads(value)).isEqualTo(threads);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"0", "-1", "257", "two", "''"})
    void anythingElseIsRefusedWithTheAllowedRange(String value) {
        assertThatThrownBy(() -> ListenerGroup.ioThreads(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Ddrawbridge.ioThreads: expected a whole number from 1 to 256, found '" + value + "'");
    }

    @Test
    void unsetIsOnePerCore() {
        assertThat(ListenerGroup.ioThreads(null)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
