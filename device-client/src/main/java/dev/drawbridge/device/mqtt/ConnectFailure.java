package dev.drawbridge.device.mqtt;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Why a connection attempt failed or a connection ended, as one log phrase, and whether it means "this broker does
 * not speak MQTT 5": the only reason the device falls back to MQTT 3.1.1.
 *
 * @param text what the log says, with the broker's reason code when it sent one
 * @param mqtt5Refused a CONNACK 0x84 unsupported protocol version (the client also reads an MQTT 3.1.1 CONNACK 0x01,
 *     as an older broker answers an MQTT 5 CONNECT, as 0x84), or the connection closed after TLS and before any
 *     CONNACK, as brokers that know no MQTT 5 do. Never a TLS failure, a refused login or an unreachable broker
 */
record ConnectFailure(String text, boolean mqtt5Refused) {

    static ConnectFailure of(Throwable cause) {
        if (cause instanceof Mqtt5ConnAckException refused) {
            Mqtt5ConnAck connAck = refused.getMqttMessage();
            Mqtt5ConnAckReasonCode code = connAck.getReasonCode();
            return new ConnectFailure(
                    "refused: "
                            + refusal("CONNACK", code.getCode(), code.name(), connAck.getReasonString())
                                    .getMessage(),
                    code == Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        }
        if (cause instanceof Mqtt3ConnAckException refused) {
            var code = refused.getMqttMessage().getReturnCode();
            return new ConnectFailure(
                    "refused: "
                            + refusal("CONNACK", code.getCode(), code.name(), Optional.empty())
                                    .getMessage(),
                    false);
        }
        if (cause instanceof Mqtt5DisconnectException disconnect) {
            Mqtt5Disconnect packet = disconnect.getMqttMessage();
            return new ConnectFailure(
                    "the broker disconnected: "
                            + refusal(
                                            "DISCONNECT",
                                            packet.getReasonCode().getCode(),
                                            packet.getReasonCode().name(),
                                            packet.getReasonString())
                                    .getMessage(),
                    false);
        }
        if (cause instanceof Mqtt3DisconnectException) {
            return new ConnectFailure(message(cause), false);
        }
        boolean closedBeforeConnAck = cause instanceof ConnectionClosedException && !tls(cause);
        return new ConnectFailure(message(cause), closedBeforeConnAck);
    }

    private static BrokerRefusal refusal(String packet, int code, String name, Optional<?> reasonString) {
        return new BrokerRefusal(packet, code, name, reasonString);
    }

    private static String message(Throwable cause) {
        return String.valueOf(cause.getMessage());
    }

    private static boolean tls(@Nullable Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
