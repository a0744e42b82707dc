package dev.drawbridge.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.BrokerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 3.1.1 section 3.1.4: "Clients are allowed to send further Control Packets immediately after sending a CONNECT
 * Packet; Clients need not wait for a CONNACK Packet to arrive from the Server." Raw bytes, so that the packets really
 * arrive together.
 */
class PipelinedConnectIT {

    private static final HexFormat HEX = HexFormat.of();

    /** CONNECT, MQTT 3.1.1, clean session, keepalive 60, client id "pipelined". */
    private static final String CONNECT = "10 15" // CONNECT, remaining length 21
            + " 0004 4d515454" // protocol name "MQTT"
            + " 04" // protocol level 4 (3.1.1)
            + " 02" // flags: clean session
            + " 003c" // keepalive 60 s
            + " 0009 706970656c696e6564"; // client id "pipelined"

    /** CONNACK, session present 0, return code 0 (accepted). */
    private static final String CONNACK = "20 02 00 00";

    private Drawbridge broker;

    @BeforeEach
    void start() throws Exception {
        broker = Drawbridge.start(BrokerConfig.localOnly(0));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void subscribeSentRightAfterConnectIsAnswered_3_1_4() throws Exception {
        String subscribe = "82 0c" // SUBSCRIBE (flags 0010), remaining length 12
                + " 0001" // packet id 1
                + " 0007 7261772f6f6e65" // topic filter "raw/one"
                + " 01"; // requested QoS 1
        String suback = "90 03" // SUBACK, remaining length 3
                + " 0001" // packet id 1
                + " 01"; // granted QoS 1

        assertExchange(CONNECT + subscribe, CONNACK + suback);
    }

    @Test
    void publishSentRightAfterConnectIsAcknowledged_3_1_4() throws Exception {
        String publish = "32 0d" // PUBLISH QoS 1, remaining length 13
                + " 0007 7261772f74776f" // topic "raw/two"
                + " 0002" // packet id 2
                + " 6869"; // payload "hi"
        String puback = "40 02" // PUBACK, remaining length 2
                + " 0002"; // packet id 2

        assertExchange(CONNECT + publish, CONNACK + puback);
    }

    @Test
    void pingSentRightAfterConnectIsAnsweredAfterTheConnack_3_2_0_1() throws Exception {
        String pingreq = "c0 00"; // PINGREQ
        String pingresp = "d0 00"; // PINGRESP

        assertExchange(CONNECT + pingreq, CONNACK + pingresp);
    }

    @Test
    void disconnectSentRightAfterConnectClosesTheConnection_3_14_4_1() throws Exception {
        String disconnect = "e0 00"; // DISCONNECT
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            socket.setSoTimeout(5000);
            send(socket, CONNECT + disconnect);

            byte[] connack = read(socket.getInputStream(), 4);
            assertThat(hex(connack)).isEqualTo(hex(bytes(CONNACK)));
            // MQTT-3.14.4-1: after DISCONNECT the server closes the network connection, so the next read is EOF.
            assertThat(readUntilClosed(socket.getInputStream()))
                    .as("the broker closed the connection")
                    .isTrue();
        }
    }

    @Test
    void connectThenWaitForConnackThenSubscribeIsAnswered() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            socket.setSoTimeout(5000);
            send(socket, CONNECT);
            assertThat(hex(read(socket.getInputStream(), 4))).isEqualTo(hex(bytes(CONNACK)));
            send(socket, "82 0c 0001 0007 7261772f6f6e65 01");
            assertThat(hex(read(socket.getInputStream(), 5))).isEqualTo("9003000101");
        }
    }

    /** Sends {@code request} in one write and expects exactly {@code response} back. */
    private void assertExchange(String request, String response) throws IOException {
        byte[] expected = bytes(response);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            socket.setSoTimeout(5000);
            send(socket, request);
            byte[] actual = read(socket.getInputStream(), expected.length);
            assertThat(hex(actual)).as("bytes after sending %s", request).isEqualTo(hex(expected));
        }
    }

    private static void send(Socket socket, String hexWithComments) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes(hexWithComments));
        out.flush();
    }

    /** Up to {@code n} bytes: fewer if the broker closes the connection or goes quiet for 5 s. */
    private static byte[] read(InputStream in, int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            while (got.size() < n) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
            }
        } catch (SocketTimeoutException e) {
            // what arrived is compared below
        }
        return got.toByteArray();
    }

    /** True if the broker closes the connection within the socket timeout, sending nothing more. */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
