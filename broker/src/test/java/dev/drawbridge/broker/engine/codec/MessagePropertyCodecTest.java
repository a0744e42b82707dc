package dev.drawbridge.broker.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.spi.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagePropertyCodecTest {

    private static MqttProperties decodedPublishProperties() {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.IntegerProperty(0x01, 1));
        p.add(new MqttProperties.IntegerProperty(0x02, 60));
        p.add(new MqttProperties.StringProperty(0x03, "text/plain"));
        p.add(new MqttProperties.StringProperty(0x08, "reply/here"));
        p.add(new MqttProperties.BinaryProperty(0x09, "req-1".getBytes(StandardCharsets.UTF_8)));
        p.add(new MqttProperties.IntegerProperty(0x23, 4)); // a topic alias: never forwarded
        p.add(new MqttProperties.UserProperty("b", "2"));
        p.add(new MqttProperties.UserProperty("a", "1"));
        return p;
    }

    @Test
    void forwardedPropertiesLeaveOutExpiryAndAliasAndKeepUserPropertiesInOrder() {
        byte[] forwarded = MessagePropertyCodec.forwarded(decodedPublishProperties());

        assertThat(forwarded)
                .containsExactly(
                        0x01, 1, // payload format indicator
                        0x03, 0, 10, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', 0x08, 0, 10, 'r', 'e', 'p', 'l',
                        'y', '/', 'h', 'e', 'r', 'e', 0x09, 0, 5, 'r', 'e', 'q', '-', '1', 0x26, 0, 1, 'b', 0, 1, '2',
                        0x26, 0, 1, 'a', 0, 1, '1');
        assertThat(MessagePropertyCodec.expiryInterval(decodedPublishProperties()))
                .isEqualTo(60);
        assertThat(MessagePropertyCodec.expiryInterval(new MqttProperties())).isEqualTo(-1);
    }

    @Test
    void subscriptionIdentifiersStoredWithADeliveryComeApartAgain() {
        byte[] forwarded = MessagePropertyCodec.forwarded(decodedPublishProperties());
        int[] ids = {7, 300, 268_435_455};

        MessagePropertyCodec.Split split =
                MessagePropertyCodec.splitSubscriptionIds(MessagePropertyCodec.withSubscriptionIds(forwarded, ids));

        assertThat(split.forwarded()).isEqualTo(forwarded);
        assertThat(split.subscriptionIds()).containsExactly(ids);
        assertThat(MessagePropertyCodec.splitSubscriptionIds(forwarded).subscriptionIds())
                .isNull();
        assertThat(MessagePropertyCodec.splitSubscriptionIds(new byte[0]).forwarded())
                .isEmpty();
    }

    @Test
    void userPropertiesAreThePluginSpisPairsInTheOrderTheyCameWhetherOneByOneOrAsAList() {
        MqttProperties built = new MqttProperties();
        built.add(new MqttProperties.UserProperties(
                List.of(new MqttProperties.StringPair("c", "3"), new MqttProperties.StringPair("d", "4"))));

        assertThat(MessagePropertyCodec.userProperties(decodedPublishProperties()))
                .containsExactly(new UserProperty("b", "2"), new UserProperty("a", "1"));
        assertThat(MessagePropertyCodec.userProperties(built))
                .containsExactly(new UserProperty("c", "3"), new UserProperty("d", "4"));
        assertThat(MessagePropertyCodec.userProperties(MqttProperties.NO_PROPERTIES))
                .isEmpty();
    }
}
