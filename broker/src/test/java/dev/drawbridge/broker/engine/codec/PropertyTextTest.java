package dev.drawbridge.broker.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forwarded MQTT 5 properties of a PUBLISH, as text a person reads in the console. */
class PropertyTextTest {

    @Test
    void eachForwardedPropertyIsNamedInOrderAndBinaryOnlyBySize() {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.IntegerProperty(0x01, 1)); // payload format indicator: UTF-8
        p.add(new MqttProperties.StringProperty(0x03, "application/json")); // content type
        p.add(new MqttProperties.StringProperty(0x08, "home/reply")); // response topic
        p.add(new MqttProperties.BinaryProperty(0x09, new byte[] {1, 2, 3})); // correlation data
        p.add(new MqttProperties.UserProperty("room", "garage"));

        assertThat(PropertyText.of(MessagePropertyCodec.forwarded(p)))
                .containsExactly(
                        Map.entry("payload format", "UTF-8"),
                        Map.entry("content type", "application/json"),
                        Map.entry("response topic", "home/reply"),
                        Map.entry("correlation data", "3 bytes"),
                        Map.entry("room", "garage"));
    }

    @Test
    void aDeliverysExpiryIsShownAndACutListKeepsWhatWasRead() {
        byte[] expiry = {0x02, 0, 0, 0x0e, 0x10}; // message expiry interval: 3600 s
        assertThat(PropertyText.of(expiry)).containsExactly(Map.entry("message expiry", "3600 s"));
        byte[] cut = {0x03, 0, 9, 'a', 'b'}; // a content type of 9 bytes with 2 present
        assertThat(PropertyText.of(Arrays.copyOf(expiry, 5))).hasSize(1);
        assertThat(PropertyText.of(cut)).isEmpty();
        assertThat(PropertyText.of(new byte[0])).isEmpty();
    }
}
