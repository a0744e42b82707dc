package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.hostile.RawSocket.Closed;
import dev.drawbridge.broker.it.hostile.RawSocket.Read;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sockets a stranger may hold: {@code max_pending_connections_per_address} (default 16) counts, per source address and
 * across listeners, the sockets that have not completed an accepted CONNECT, and closes the oldest of them when one
 * more comes;
 * {@code max_connections} caps one listener's sockets. Other addresses and connected clients are not affected.
 */
class ConnectionLimitsIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(3);
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final List<RawSocket> sockets = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final LogCapture log = LogCapture.connections();
    private final LogCapture listenerLog = LogCapture.of("dev.drawbridge.broker.net.ListenerGroup");
    private Drawbridge broker;

    @AfterEach
    void closeEverything() throws Exception {
        sockets.forEach(RawSocket::close);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        log.close();
        listenerLog.close();
    }

    @Test
    void theSeventeenthSilentSocketFromOneAddressClosesTheOldestAndARealClientStillConnects() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true"); // the default: 16 per address

        List<RawSocket> silent = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            silent.add(open("127.0.0.1", port)); // TCP only: not a byte of MQTT
        }
        // The broker counts them on its I/O threads: wait until it has all 16 before the 17th comes.
        Awaitility.await("16 silent sockets counted")
                .atMost(ANSWER)
                .until(() -> broker.pendingConnections("127.0.0.1") == 16);
        RawSocket seventeenth = open("127.0.0.1", port);

        List<RawSocket> closedOnes = awaitClosed(silent, 1);
        assertThat(closedOnes)
                .as("sockets closed among the first 16 when the 17th came")
                .hasSize(1);
        assertThat(closedNow(List.of(seventeenth))).as("the newcomer").isEmpty();
        String closedPeer = closedOnes.get(0).peer();
        log.await(
                m -> m.equals("Connection from " + closedPeer + " closed: 16 connections from 127.0.0.1 have not"
                        + " completed a CONNECT (max_pending_connections_per_address 16), and it is the oldest;"
                        + " further such closes for 127.0.0.1 are not logged for a minute."),
                ANSWER);

        // A real client from the same address, behind the silent ones, still connects (the oldest makes room).
        RawSocket real = open("127.0.0.1", port);
        real.send(Wire.connect("real"));
        assertThat(Wire.describe(real.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        assertThat(log.messages())
                .filteredOn(m -> m.contains("max_pending_connections_per_address"))
                .as("closes are logged once a minute per address")
                .hasSize(1);

        // A real client from another address is not affected.
        Mqtt3BlockingClient other = MqttClient.builder()
                .useMqttVersion3()
                .identifier("from-127-0-0-2")
                .transportConfig()
                .serverHost("127.0.0.1")
                .serverPort(port)
                .localAddress("127.0.0.2")
                .applyTransportConfig()
                .buildBlocking();
        assertThat(other.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        other.publishWith()
                .topic("limits/other")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("hi".getBytes(UTF_8))
                .send();
        other.disconnect();
    }

    @Test
    void aThousandSilentSocketsFromOneAddressDoNotLockOutARealClient() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true");
        for (int i = 0; i < 1000; i++) {
            open("127.0.0.1", port);
        }

        RawSocket real = open("127.0.0.1", port);
        real.send(Wire.connect("behind-a-thousand"));

        assertThat(Wire.describe(real.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
    }

    @Test
    void quickConnectAndCloseCyclesStopCountingAtOnce() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true", "max_pending_connections_per_address 2");
        for (int i = 0; i < 200; i++) {
            try (RawSocket quick = RawSocket.open(port)) {
                quick.send(Wire.connect("quick-" + i));
            }
        }
        Awaitility.await("nothing pending from 127.0.0.1 once the quick sockets closed")
                .atMost(ANSWER)
                .until(() -> broker.pendingConnections("127.0.0.1") == 0);

        RawSocket real = open("127.0.0.1", port);
        real.send(Wire.connect("after-200"));
        assertThat(Wire.describe(real.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
    }

    @Test
    void connectedClientsDoNotCountAsPending() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true", "max_pending_connections_per_address 2");

        for (int i = 0; i < 10; i++) {
            RawSocket client = open("127.0.0.1", port);
            client.send(Wire.connect("connected-" + i));
            assertThat(Wire.describe(client.expectPacket(ANSWER)))
                    .as("client %d of 10 from one address, each CONNECT accepted before the next socket", i)
                    .isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        }
        RawSocket first = open("127.0.0.1", port);
        RawSocket second = open("127.0.0.1", port);
        RawSocket third = open("127.0.0.1", port);

        assertThat(awaitClosed(List.of(first, second, third), 1)).hasSize(1);
        for (RawSocket client : sockets.subList(0, 10)) {
            client.send(Wire.PINGREQ);
            assertThat(Wire.describe(client.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.PINGRESP));
        }
    }

    @Test
    void theCountIsPerAddressAcrossListenersWebSocketsIncluded() throws Exception {
        start(
                "listener 0 127.0.0.1",
                "listener 0 127.0.0.1",
                "protocol websockets",
                "allow_anonymous true",
                "max_pending_connections_per_address 2");
        int mqtt = broker.listeners().get(0).port();
        int websockets = broker.listeners().get(1).port();

        RawSocket onMqtt = open("127.0.0.1", mqtt);
        RawSocket onWebSockets = open("127.0.0.1", websockets); // not even the HTTP upgrade
        RawSocket third = open("127.0.0.1", websockets);

        assertThat(awaitClosed(List.of(onMqtt, onWebSockets, third), 1)).hasSize(1);
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true", "max_pending_connections_per_address 0");
        List<RawSocket> silent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            silent.add(open("127.0.0.1", port));
        }

        RawSocket client = open("127.0.0.1", port);
        client.send(Wire.connect("after-40"));

        assertThat(Wire.describe(client.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        assertThat(closedNow(silent))
                .as("silent sockets closed before the CONNECT deadline")
                .isEmpty();
    }

    @Test
    void maxConnectionsClosesTheSocketBeyondItUntilOneLeaves() throws Exception {
        int port = start("listener 0 127.0.0.1", "max_connections 2", "allow_anonymous true");
        RawSocket first = connected(port, "first");
        connected(port, "second");

        RawSocket third = open("127.0.0.1", port);
        third.send(Wire.connect("third"));

        assertThat(third.read(AT_ONCE)).as("the third connection").isInstanceOf(Closed.class);
        listenerLog.await(
                m -> m.startsWith("Client connection from /" + third.peer() + " denied: max_connections 2 reached on"),
                ANSWER);

        first.close();
        Awaitility.await("a third client accepted once the first has left")
                .atMost(ANSWER)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    try (RawSocket again = RawSocket.open(port)) {
                        again.send(Wire.connect("third-again"));
                        assertThat(Wire.describe(again.expectPacket(ANSWER)))
                                .isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
                    }
                });
    }

    private int start(String... lines) throws Exception {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", lines) + "\n");
        broker = Drawbridge.start(conf);
        closeables.add(broker);
        return broker.port();
    }

    private RawSocket open(String from, int port) {
        RawSocket socket = RawSocket.openFrom(from, port);
        sockets.add(socket);
        return socket;
    }

    private RawSocket connected(int port, String clientId) {
        RawSocket socket = open("127.0.0.1", port);
        socket.send(Wire.connect(clientId));
        assertThat(Wire.describe(socket.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
        return socket;
    }

    /** Waits until at least {@code count} of the sockets are closed, then returns every one closed by then. */
    private static List<RawSocket> awaitClosed(List<RawSocket> among, int count) {
        Awaitility.await(count + " of " + among.size() + " sockets closed")
                .atMost(AT_ONCE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> closedNow(among).size() >= count);
        return closedNow(among);
    }

    /** The sockets the broker has closed so far (each read once, briefly; a closed socket stays closed). */
    private static List<RawSocket> closedNow(List<RawSocket> among) {
        List<RawSocket> closed = new ArrayList<>();
        for (RawSocket socket : among) {
            Read read = socket.read(Duration.ofMillis(5));
            if (read instanceof Closed) {
                closed.add(socket);
            }
        }
        return closed;
    }
}
