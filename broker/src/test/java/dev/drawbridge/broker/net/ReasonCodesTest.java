package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reason strings of refusing MQTT 5 CONNACKs: one fixed, distinct text for every code a CONNACK may refuse with. */
class ReasonCodesTest {

    @Test
    void everyRefusingConnAckCodeHasItsOwnReasonStringAndNoOtherCodeHasOne() {
        Set<String> texts = new HashSet<>();
        for (MqttConnectReturnCode code : MqttConnectReturnCode.values()) {
            // MQTT 3.1.1's codes as the MQTT 5 CONNACK sends them.
            int sent = ReasonCodes.connAck(code).byteValue() & 0xFF;
            String text = ReasonCodes.connAckReasonString(sent);
            if (sent < 0x80) {
                assertThat(text).as("0x%02x is no refusal", sent).isNull();
                continue;
            }
            assertThat(text).as("reason string of 0x%02x", sent).isNotBlank();
            if (sent == (code.byteValue() & 0xFF)) {
                assertThat(texts.add(text))
                        .as("0x%02x's text '%s' is another code's", sent, text)
                        .isTrue();
            }
        }
        assertThat(ReasonCodes.connAckReasonString(0x87)).isEqualTo("not authorized");
        assertThat(ReasonCodes.connAckReasonString(0x86)).isEqualTo("bad user name or password");
    }
}
