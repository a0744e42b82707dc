package dev.drawbridge.device.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When the device falls back to MQTT 3.1.1: the HiveMQ client at MQTT 5 against a raw socket that answers its CONNECT
 * as brokers of each kind do, and the failure it reports, judged by {@link ConnectFailure}.
 */
class ConnectFailureTest {

    static Stream<Arguments> answersToAnMqtt5Connect() {
        return Stream.of(
                // fixed header CONNACK, remaining length 3, flags 0, reason 0x84, properties length 0
                Arguments.of("MQTT 5 broker: CONNACK 0x84 unsupported protocol version", "20 03 00 84 00", true),
                // fixed header CONNACK, remaining length 2, flags 0, return code 1 (MQTT 3.1.1 only broker)
                Arguments.of("MQTT 3.1.1 broker: CONNACK 0x01 unacceptable protocol version", "20 02 00 01", true),
                // nothing: the socket is closed after the CONNECT is read
                Arguments.of("older broker: closes without a CONNACK", "", true),
                // fixed header CONNACK, remaining length 3, flags 0, reason 0x87, properties length 0
                Arguments.of("MQTT 5 broker: CONNACK 0x87 not authorized (wrong password)", "20 03 00 87 00", false),
                // fixed header CONNACK, remaining length 3, flags 0, reason 0x86, properties length 0
                Arguments.of("MQTT 5 broker: CONNACK 0x86 bad user name or password", "20 03 00 86 00", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void answersToAnMqtt5Connect(String description, String answer, boolean fallsBack) throws Exception {
        Throwable failure = connectAgainst(HexFormat.ofDelimiter(" ").parseHex(answer));

        ConnectFailure judged = ConnectFailure.of(failure);

        assertThat(judged.mqtt5Refused())
                .as("%s: %s", description, judged.text())
                .isEqualTo(fallsBack);
    }

    @Test
    void theLogNamesTheReasonCode() throws Exception {
        Throwable failure = connectAgainst(HexFormat.ofDelimiter(" ").parseHex("20 03 00 87 00"));

        assertThat(ConnectFailure.of(failure).text()).isEqualTo("refused: CONNACK 0x87 not authorized");
    }

    @Test
    void aReasonStringIsLoggedUnlessItOnlyRepeatsTheCodesName() throws Exception {
        Throwable repeats = connectAgainst(HexFormat.ofDelimiter(" ")
                .parseHex(
                        "20 14 00 87" // CONNACK, remaining length 20, flags 0, reason 0x87
                                + " 11 1f 00 0e 6e 6f 74 20 61 75 74 68 6f 72 69 7a 65 64")); // reason string
        // "not
        // authorized"
        Throwable saysMore = connectAgainst(HexFormat.ofDelimiter(" ")
                .parseHex(
                        "20 10 00 87" // CONNACK, remaining length 16, flags 0, reason 0x87
                                + " 0d 1f 00 0a 61 73 6b 20 61 64 6d 69 6e 21")); // reason string "ask admin!"

        assertThat(ConnectFailure.of(repeats).text()).isEqualTo("refused: CONNACK 0x87 not authorized");
        assertThat(ConnectFailure.of(saysMore).text())
                .isEqualTo("refused: CONNACK 0x87 not authorized (\"ask admin!\")");
    }

    @Test
    void tlsFailuresAndUnreachableBrokersAreNoReasonToFallBack() {
        assertThat(ConnectFailure.of(new ConnectionClosedException(new SSLHandshakeException("bad certificate")))
                        .mqtt5Refused())
                .isFalse();
        assertThat(ConnectFailure.of(new ConnectionFailedException(new SSLHandshakeException("bad certificate")))
                        .mqtt5Refused())
                .isFalse();
        assertThat(ConnectFailure.of(new ConnectionFailedException(new ConnectException("Connection refused")))
                        .mqtt5Refused())
                .isFalse();
    }

    /** The client's failure when a server on 127.0.0.1 reads its CONNECT, writes {@code answer} and closes. */
    private static Throwable connectAgainst(byte[] answer) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    in.read(new byte[1024]);
                    socket.getOutputStream().write(answer);
                    socket.getOutputStream().flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Mqtt5AsyncClient client = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier("probe")
                    .serverHost("127.0.0.1")
                    .serverPort(server.getLocalPort())
                    .buildAsync();
            try {
                client.connect().get(10, TimeUnit.SECONDS);
                throw new AssertionError("the client connected");
            } catch (ExecutionException e) {
                return e.getCause();
            } finally {
                served.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
