package dev.drawbridge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteConnectTest {

    private static String hex(RemoteConnect connect) {
        ByteBuf packet = (ByteBuf) connect.packet(UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.hexDump(packet);
        } finally {
            packet.release();
        }
    }

    @Test
    void mqtt311WithTryPrivateSetsTheBridgeBitAndCarriesTheWillAndCredentials() {
        var connect = new RemoteConnect(
                BridgeConfig.ProtocolVersion.MQTT_3_1_1,
                true,
                "c",
                false,
                60,
                new BridgeConfig.Credentials(Optional.of("u"), Optional.of("p")),
                Optional.of("s"));

        assertThat(hex(connect))
                .isEqualTo(
                        "10" // CONNECT
                                + "19" // remaining length 25
                                + "00044d515454" // "MQTT"
                                + "84" // level 4 with the bridge bit 0x80
                                + "ec" // username, password, will retain, will QoS 1, will flag; clean session 0
                                + "003c" // keepalive 60
                                + "000163" // client id "c"
                                + "000173" // will topic "s"
                                + "000130" // will message "0"
                                + "000175" // username "u"
                                + "000170"); // password "p"
    }

    @Test
    void mqtt31WithoutTryPrivateIsAPlainMqIsdpConnect() {
        var connect = new RemoteConnect(
                BridgeConfig.ProtocolVersion.MQTT_3_1,
                false,
                "c",
                true,
                5,
                BridgeConfig.Credentials.NONE,
                Optional.empty());

        assertThat(hex(connect))
                .isEqualTo(
                        "10" // CONNECT
                                + "0f" // remaining length 15
                                + "00064d514973647003" // "MQIsdp", level 3, no bridge bit
                                + "02" // clean session only
                                + "0005" // keepalive 5
                                + "000163"); // client id "c"
    }

    @Test
    void mqtt5GoesThroughNettysEncoderWithoutTheBridgeBit() {
        var connect = new RemoteConnect(
                BridgeConfig.ProtocolVersion.MQTT_5,
                false,
                "c",
                false,
                60,
                BridgeConfig.Credentials.NONE,
                Optional.of("s"));

        MqttConnectMessage message = (MqttConnectMessage) connect.packet(UnpooledByteBufAllocator.DEFAULT);

        assertThat(message.variableHeader().version()).isEqualTo(5);
        assertThat(message.variableHeader().isWillRetain()).isTrue();
        assertThat(message.variableHeader().properties().getProperty(0x11).value())
                .as("session expiry: the remote keeps the session, as for cleansession false")
                .isEqualTo(0xFFFF_FFFF);
    }

    @Test
    void thePasswordIsNeverPrinted() {
        var connect = new RemoteConnect(
                BridgeConfig.ProtocolVersion.MQTT_3_1_1,
                true,
                "c",
                false,
                60,
                new BridgeConfig.Credentials(Optional.of("u"), Optional.of("secret-pw")),
                Optional.empty());

        assertThat(connect.toString()).doesNotContain("secret-pw").contains("(set)");
    }
}
