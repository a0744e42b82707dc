package dev.drawbridge.device.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintPinTest {

    private static final String SHA1_COLON = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01";

    @ParameterizedTest
    @ValueSource(
            strings = {
                SHA1_COLON,
                "AB CD EF 01 23 45 67 89 AB CD EF 01 23 45 67 89 AB CD EF 01",
                "abcdef0123456789abcdef0123456789abcdef01"
            })
    void readsEveryCommonSpelling(String text) {
        FingerprintPin pin =
                FingerprintPin.parse(FingerprintAlgorithm.SHA1, text).orElseThrow();

        assertThat(pin.text()).isEqualTo(SHA1_COLON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AB:CD", "zz" + "cdef0123456789abcdef0123456789abcdef01"})
    void refusesWrongLengthOrNonHex(String text) {
        assertThat(FingerprintPin.parse(FingerprintAlgorithm.SHA1, text)).isEmpty();
    }

    @Test
    void aSha1PinIsNotASha256Pin() {
        assertThat(FingerprintPin.parse(FingerprintAlgorithm.SHA256, SHA1_COLON))
                .isEmpty();
    }
}
