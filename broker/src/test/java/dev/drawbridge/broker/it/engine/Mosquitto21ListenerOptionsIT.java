package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import dev.drawbridge.broker.testing.LogCapture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mosquitto 2.1's per-listener and broker-wide connection options on real sockets: {@code accept_protocol_versions},
 * {@code listener_allow_anonymous}, {@code listener_auto_id_prefix}, {@code global_max_connections},
 * {@code websockets_origin}, and the default {@code max_packet_size} of 2,000,000 bytes that Mosquitto 2.1 took.
 */
class Mosquitto21ListenerOptionsIT {

    private static final Duration ANSWER = RawClients.ANSWER;

    @TempDir
    Path dir;

    private @Nullable Drawbridge broker;
    private final List<RawConnection> connections = new ArrayList<>();
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.of("dev.drawbridge");
    }

    @AfterEach
    void tearDown() {
        try {
            connections.forEach(RawConnection::close);
            if (broker != null) {
                broker.close();
            }
        } finally {
            log.close();
        }
    }

    @Test
    void acceptProtocolVersionsRefusesTheOtherLevelsWithConnack01() {
        start("accept_protocol_versions 4", "listener 0 127.0.0.1", "accept_protocol_versions 3");

        assertThat(connack(port(0), Connect.mqtt311("v4-on-4"))).isZero();
        assertRefused(port(0), Connect.mqtt31("v3-on-4"), 0x01);
        assertThat(connack(port(1), Connect.mqtt31("v3-on-3"))).isZero();
        assertRefused(port(1), Connect.mqtt311("v4-on-3"), 0x01);
        Pattern refusal = Pattern.compile(
                "Client v3-on-4 from 127\\.0\\.0\\.1:\\d+ refused: protocol level 3 not in accept_protocol_versions\\.");
        log.await(m -> refusal.matcher(m).matches(), ANSWER);
    }

    /** As Mosquitto 2.1's handle_connect.c: an MQTT 5 client refused by accept_protocol_versions gets CONNACK 0x84. */
    @Test
    void acceptProtocolVersionsWithout5RefusesAnMqtt5ClientWithReasonCode0x84() {
        start("accept_protocol_versions 4", "listener 0 127.0.0.1");
        byte[] connect5 = java.util.HexFormat.of()
                .parseHex(
                        "100f" // CONNECT, remaining length 15
                                + "00044d515454" // protocol name "MQTT"
                                + "05" // protocol level 5
                                + "02" // connect flags: clean start
                                + "003c" // keepalive 60 s
                                + "00" // properties: none
                                + "00027635"); // client id "v5"

        RawConnection refused = open(port(0));
        refused.send(connect5);
        assertThat(refused.expect(Frame.CONNACK, ANSWER).returnCode()).isEqualTo(0x84);
        refused.expectClosed(ANSWER);
        // The control: the listener without the option lets the same CONNECT in.
        RawConnection accepted = open(port(1));
        accepted.send(connect5);
        assertThat(accepted.expect(Frame.CONNACK, ANSWER).returnCode()).isZero();
    }

    @Test
    void listenerAllowAnonymousOverridesAllowAnonymousOnItsListenerOnly() {
        start("listener 0 127.0.0.1", "listener_allow_anonymous false");

        assertThat(connack(port(0), Connect.mqtt311("anon-open"))).isZero();
        assertRefused(port(1), Connect.mqtt311("anon-closed"), 0x05);
    }

    @Test
    void listenerAutoIdPrefixNamesGeneratedClientIds() {
        start("listener_auto_id_prefix garage-", "listener 0 127.0.0.1");

        assertThat(connack(port(0), Connect.mqtt311(""))).isZero();
        assertThat(connack(port(1), Connect.mqtt311(""))).isZero();

        Pattern prefixed = Pattern.compile("New client connected from .* as garage-[0-9A-F-]{36} \\(p2, c1, k60\\)\\.");
        Pattern plain = Pattern.compile("New client connected from .* as auto-[0-9A-F-]{36} \\(p2, c1, k60\\)\\.");
        log.await(m -> prefixed.matcher(m).matches(), ANSWER);
        log.await(m -> plain.matcher(m).matches(), ANSWER);
    }

    @Test
    void globalMaxConnectionsCountsEveryListener() {
        start("global_max_connections 2", "listener 0 127.0.0.1");
        assertThat(connack(port(0), Connect.mqtt311("first"))).isZero();
        RawConnection second = open(port(1));
        assertThat(connack(second, Connect.mqtt311("second"))).isZero();

        RawConnection third = open(port(0));
        assertThat(third.expectClosed(ANSWER)).as("packets before the close").isEmpty();
        log.await(m -> m.contains("denied: global_max_connections 2 reached."), ANSWER);

        // A place is free again once one closes.
        second.close();
        org.awaitility.Awaitility.await("a free place")
                .atMost(ANSWER)
                .until(() -> connackOrClosed(port(1), "fourth") == 0);
    }

    @Test
    void websocketsOriginAllowsOnlyTheListedOrigins() throws Exception {
        start(
                "listener 0 127.0.0.1",
                "protocol websockets",
                "websockets_origin http://ha.local:8123",
                "websockets_origin https://ha.example.com");
        int ws = port(1);

        assertThat(upgrade(ws, "https://ha.example.com")).startsWith("HTTP/1.1 101");
        assertThat(upgrade(ws, "http://ha.local:8123")).startsWith("HTTP/1.1 101");
        assertThat(upgrade(ws, "http://evil.example")).startsWith("HTTP/1.1 403");
        assertThat(upgrade(ws, null)).startsWith("HTTP/1.1 403");
        log.await(m -> m.contains("refused: origin 'http://evil.example' is not in websockets_origin."), ANSWER);
    }

    /** Mosquitto 2.1's default: a packet of at most 2,000,000 bytes; a larger one closes the connection. */
    @Test
    void theDefaultMaxPacketSizeIs2000000Bytes() {
        start();
        RawConnection subscriber = open(port(0));
        assertThat(connack(subscriber, Connect.mqtt311("big-sub"))).isZero();
        RawClients.subscribe(subscriber, "big/t", 0);
        RawConnection publisher = open(port(0));
        assertThat(connack(publisher, Connect.mqtt311("big-pub"))).isZero();

        // 1 type byte + 3 remaining-length bytes + 2 + 5 topic bytes + payload: exactly 2,000,000 bytes.
        String fits = "a".repeat(2_000_000 - 11);
        publisher.send(MqttBytes.publish("big/t", fits, 0, 0, false, false));
        assertThat(subscriber.expect(Frame.PUBLISH, ANSWER).payloadText()).hasSize(fits.length());

        publisher.send(MqttBytes.publish("big/t", fits + "b", 0, 0, false, false));
        publisher.expectClosed(ANSWER);
        RawClients.nothingBeforePingResponse(subscriber, "the packet over the limit was not delivered");
    }

    private void start(String... lines) {
        broker = DrawbridgeBroker.start(dir, List.of(lines));
    }

    private int port(int listener) {
        if (broker == null) {
            throw new IllegalStateException("not started");
        }
        return broker.listeners().get(listener).address().getPort();
    }

    private RawConnection open(int port) {
        RawConnection connection = RawConnection.open(port);
        connections.add(connection);
        return connection;
    }

    private int connack(int port, Connect connect) {
        return connack(open(port), connect);
    }

    private static int connack(RawConnection connection, Connect connect) {
        connection.send(connect.bytes());
        return connection.expect(Frame.CONNACK, ANSWER).returnCode();
    }

    /** The CONNACK code, or -1 if the broker closed the socket first. */
    private int connackOrClosed(int port, String id) {
        RawConnection connection = open(port);
        connection.send(Connect.mqtt311(id).bytes());
        RawConnection.Event event = connection.next(ANSWER);
        return event instanceof RawConnection.Received r && r.frame().type() == Frame.CONNACK
                ? r.frame().returnCode()
                : -1;
    }

    private void assertRefused(int port, Connect connect, int code) {
        RawConnection connection = open(port);
        assertThat(connack(connection, connect)).as("CONNACK for %s", connect).isEqualTo(code);
        connection.expectClosed(ANSWER);
    }

    /** A WebSocket upgrade request with this Origin (or none); returns the status line. */
    private static String upgrade(int port, @Nullable String origin) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return String.valueOf(in.readLine());
        }
    }
}
