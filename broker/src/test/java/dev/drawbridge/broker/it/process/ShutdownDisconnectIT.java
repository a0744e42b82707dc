package dev.drawbridge.broker.it.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.RawConnection;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker stopped by SIGTERM tells its MQTT 5 clients why with DISCONNECT 0x8B (server shutting down) before it closes
 * their connections, where Mosquitto 2.0.11 just closes them (README, "Differences from Mosquitto"). MQTT 3.1.1
 * clients, and an MQTT 5 client whose maximum packet size is below the DISCONNECT's 3 bytes, see the plain close as
 * before; the wills of all of them are published as before; a client that reads nothing does not hold the stop up.
 */
class ShutdownDisconnectIT {

    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private final List<ClientProcess> brokers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final int port = Ports.free();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        brokers.forEach(ClientProcess::close);
    }

    @Test
    void sigtermSendsMqtt5ClientsDisconnect0x8BAndClosesTheOthersPlainlyWithTheirWillsPublished() throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence true",
                        "persistence_location " + dir + "/",
                        ""),
                UTF_8);
        ClientProcess broker = start(conf);

        RawConnection v5 = connected(connect(5, "shutdown-v5", "wills/v5", null));
        RawConnection v311 = connected(connect(4, "shutdown-311", "wills/311", null));
        RawConnection tinyV5 = connected(connect(5, "shutdown-tiny", null, 2L));
        List<Throwable> hiveCauses = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient hive = MqttClient.builder()
                .useMqttVersion5()
                .identifier("shutdown-hive")
                .serverHost("127.0.0.1")
                .serverPort(port)
                .addDisconnectedListener(context -> hiveCauses.add(context.getCause()))
                .buildAsync();
        hive.connect().orTimeout(10, TimeUnit.SECONDS).join();
        clients.add(() -> {
            var unused = hive.disconnect();
        });
        floodedNonReader();

        assertThat(BrokerJar.stop(broker)).as("exit status after SIGTERM").isZero();

        assertThat(v5.expectClosed(ANSWER))
                .extracting(ShutdownDisconnectIT::hex)
                .as("MQTT 5: DISCONNECT 0x8B, then the close")
                .containsExactly("e0018b");
        assertThat(v311.expectClosed(ANSWER)).as("MQTT 3.1.1: the close alone").isEmpty();
        assertThat(tinyV5.expectClosed(ANSWER))
                .as("MQTT 5 with maximum packet size 2: no DISCONNECT fits")
                .isEmpty();
        Awaitility.await("the HiveMQ client to see the disconnect")
                .atMost(ANSWER)
                .until(() -> !hiveCauses.isEmpty());
        assertThat(hiveCauses.get(0))
                .isInstanceOfSatisfying(
                        Mqtt5DisconnectException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN));

        // The wills were published at the stop, as before this change: the retained ones are there after a restart.
        ClientProcess again = start(conf);
        Result wills = MosquittoClients.subUntilDone(port, "-V", "5", "-t", "wills/#", "-v", "-C", "2", "-W", "10");
        assertThat(wills.stdout()).containsExactlyInAnyOrder("wills/v5 gone v5", "wills/311 gone 311");
        assertThat(BrokerJar.stop(again)).isZero();
    }

    @Test
    void closingAnEmbeddedBrokerAlsoSendsMqtt5ClientsDisconnect0x8B() {
        RawConnection v5;
        RawConnection v311;
        try (Drawbridge embedded = DrawbridgeBroker.start(dir.resolve("embedded"), List.of())) {
            v5 = connected(RawConnection.open(embedded.port()), connect(5, "embedded-v5", null, null));
            v311 = connected(RawConnection.open(embedded.port()), connect(4, "embedded-311", null, null));
        }

        assertThat(v5.expectClosed(ANSWER))
                .extracting(ShutdownDisconnectIT::hex)
                .containsExactly("e0018b");
        assertThat(v311.expectClosed(ANSWER)).isEmpty();
    }

    private ClientProcess start(Path conf) throws IOException {
        ClientProcess broker = BrokerJar.start(dir, "-c", conf.toString());
        brokers.add(broker);
        return broker;
    }

    private RawConnection connected(byte[] connect) {
        return connected(open(), connect);
    }

    private RawConnection connected(RawConnection connection, byte[] connect) {
        clients.add(connection);
        connection.send(connect);
        Frame connAck = connection.expect(Frame.CONNACK, ANSWER);
        assertThat(connAck.body()[1]).as("CONNACK reason code").isZero();
        return connection;
    }

    private RawConnection open() {
        RawConnection connection = RawConnection.open(port);
        clients.add(connection);
        return connection;
    }

    /**
     * A subscriber to {@code flood/#} that never reads, with 12 MB of messages sent its way, more than the sockets of
     * both ends buffer: the broker's DISCONNECT to it can never be written.
     */
    private void floodedNonReader() throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        OutputStream out = socket.getOutputStream();
        out.write(connect(5, "shutdown-non-reader", null, null));
        out.write(HEX.parseHex("82" + "0b" + "0001" + "00" + "0006" + HEX.formatHex("flood/".getBytes(UTF_8)) + "23"
                + "00")); // SUBSCRIBE flood/# QoS 0, no properties
        out.flush();
        RawConnection publisher = open();
        publisher.send(MqttBytes.Connect.mqtt311("shutdown-flooder").bytes());
        publisher.expect(Frame.CONNACK, ANSWER);
        String megabyte = "x".repeat(1 << 20);
        for (int i = 0; i < 12; i++) {
            publisher.send(MqttBytes.publish("flood/" + i, megabyte, 0, 0, false, false));
        }
        // The PINGRESP comes once the broker has routed every message before it.
        publisher.send(MqttBytes.PINGREQ);
        publisher.expect(Frame.PINGRESP, ANSWER);
    }

    private static String hex(Frame frame) {
        byte[] body = frame.body();
        return HEX.formatHex(new byte[] {(byte) frame.first(), (byte) body.length}) + HEX.formatHex(body);
    }

    /**
     * A CONNECT at this level (4 or 5) with clean start; a retained QoS 1 will "gone …" on {@code willTopic} if given;
     * for MQTT 5, a maximum packet size property if given.
     */
    private static byte[] connect(int level, String id, @Nullable String willTopic, @Nullable Long maximumPacketSize) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(level);
        body.write(0x02 | (willTopic != null ? 0x04 | 0x08 | 0x20 : 0)); // clean start; will, QoS 1, retained
        body.write(0);
        body.write(60); // keepalive 60 s
        if (level == 5) {
            if (maximumPacketSize != null) {
                body.write(5);
                body.write(0x27);
                body.writeBytes(HEX.parseHex(String.format("%08x", maximumPacketSize)));
            } else {
                body.write(0); // no properties
            }
        }
        string(body, id);
        if (willTopic != null) {
            if (level == 5) {
                body.write(0); // no will properties
            }
            string(body, willTopic);
            string(body, "gone " + (level == 5 ? "v5" : "311"));
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // under 128 bytes
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
