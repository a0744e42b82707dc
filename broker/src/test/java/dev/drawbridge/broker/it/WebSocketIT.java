package dev.drawbridge.broker.it;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.conf.ListenerConfig.Protocol;
import dev.drawbridge.broker.net.BoundListener;
import dev.drawbridge.broker.testing.ClientProcess;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over WebSocket ({@code protocol websockets}) with the HiveMQ client on path {@code /mqtt}, next to a plain MQTT
 * listener of the same broker.
 */
class WebSocketIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Drawbridge broker;
    private int wsPort;
    private int mqttPort;
    private final List<Mqtt3BlockingClient> clients = new ArrayList<>();
    private final List<Mqtt3Publishes> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\nprotocol websockets\n\nlistener 0 127.0.0.1\n\nallow_anonymous true\n",
                StandardCharsets.UTF_8);
        broker = Drawbridge.start(conf);
        wsPort = port(Protocol.WEBSOCKETS);
        mqttPort = port(Protocol.MQTT);
    }

    private int port(Protocol protocol) {
        return broker.listeners().stream()
                .filter(l -> l.config().protocol() == protocol)
                .mapToInt(BoundListener::port)
                .findFirst()
                .orElseThrow();
    }

    @AfterEach
    void stop() {
        streams.forEach(Mqtt3Publishes::close);
        for (Mqtt3BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
        broker.close();
    }

    private Mqtt3BlockingClient connected(String id) {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(wsPort)
                .webSocketConfig()
                .serverPath("mqtt")
                .applyWebSocketConfig()
                .buildBlocking();
        clients.add(client);
        client.connect();
        return client;
    }

    /**
     * A WebSocket client subscribed to {@code filter} at QoS 1, with the stream of what it receives (opened before
     * subscribing, so retained messages are not missed).
     */
    private Mqtt3Publishes subscriber(String id, String filter) {
        Mqtt3BlockingClient client = connected(id);
        Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        streams.add(publishes);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return publishes;
    }

    private static void publish(Mqtt3BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static Mqtt3Publish receive(Mqtt3Publishes publishes) throws InterruptedException {
        Optional<Mqtt3Publish> received = publishes.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received).as("a message within %s", WAIT).isPresent();
        return received.get();
    }

    private static String text(Mqtt3Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aWebSocketClientReceivesWhatAnotherWebSocketClientPublishes() throws Exception {
        Mqtt3Publishes publishes = subscriber("ws-sub", "ws/+/state");

        publish(connected("ws-pub"), "ws/door/state", "open");

        Mqtt3Publish received = receive(publishes);
        assertThat(received.getTopic().toString()).isEqualTo("ws/door/state");
        assertThat(received.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(received.isRetain()).isFalse();
        assertThat(text(received)).isEqualTo("open");
    }

    @Test
    void aWebSocketClientReceivesWhatATcpClientPublishes() throws Exception {
        Mqtt3Publishes publishes = subscriber("ws-sub", "tcp/to/ws");

        assertThat(pub(mqttPort, "-t", "tcp/to/ws", "-q", "1", "-m", "from tcp").exitCode())
                .isZero();

        assertThat(text(receive(publishes))).isEqualTo("from tcp");
    }

    @Test
    void aTcpClientReceivesWhatAWebSocketClientPublishes() throws Exception {
        try (ClientProcess sub = subscribed(mqttPort, "-t", "ws/to/tcp", "-q", "1", "-C", "1")) {
            publish(connected("ws-pub"), "ws/to/tcp", "from websocket");

            sub.awaitLine("from websocket"::equals, WAIT);
            assertThat(sub.waitFor(WAIT)).isZero();
        }
    }

    @Test
    void aRetainedMessageReachesALaterWebSocketSubscriberWithRetainSet() throws Exception {
        assertThat(pub(mqttPort, "-t", "ws/retained", "-q", "1", "-r", "-m", "kept")
                        .exitCode())
                .isZero();

        Mqtt3Publish received = receive(subscriber("ws-late", "ws/retained"));

        assertThat(received.isRetain()).isTrue();
        assertThat(text(received)).isEqualTo("kept");
    }

    @Test
    void aLargeMessageCrossesTheWebSocketInOnePiece() throws Exception {
        String big = "w".repeat(200_000);
        Mqtt3Publishes publishes = subscriber("ws-big-sub", "ws/big");

        publish(connected("ws-big-pub"), "ws/big", big);

        assertThat(text(receive(publishes))).isEqualTo(big);
    }

    /**
     * The packet checks of plain MQTT listeners apply behind the WebSocket frames too: a CONNECT cut across two
     * WebSocket messages is put together and answered; a PUBLISH whose topic holds an overlong '/' closes the
     * connection, and only that one.
     */
    @Test
    void packetsAreJudgedWholeAcrossWebSocketMessages() throws Exception {
        byte[] connect = HexFormat.of().parseHex("100d00044d5154540402003c00016a"); // CONNECT, client id "j"
        try (RawWebSocket ws = RawWebSocket.open(wsPort)) {
            ws.send(slice(connect, 0, 5), slice(connect, 5, connect.length));
            assertThat(ws.next()).isEqualTo("20020000"); // CONNACK accepted

            // PUBLISH QoS 0, topic "a" + C0 AF (an overlong '/'), payload "hi"
            ws.send(HexFormat.of().parseHex("3007000361c0af6869"));
            assertThat(ws.next()).isEqualTo(RawWebSocket.CLOSED);
        }
        Mqtt3Publishes publishes = subscriber("ws-after", "ws/after");
        publish(connected("ws-after-pub"), "ws/after", "still served");
        assertThat(text(receive(publishes))).isEqualTo("still served");
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    /** The JDK's WebSocket client speaking raw MQTT bytes in binary messages, subprotocol {@code mqtt}. */
    private static final class RawWebSocket implements WebSocket.Listener, AutoCloseable {
        static final String CLOSED = "<closed>";

        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private WebSocket socket;

        static RawWebSocket open(int port) throws Exception {
            RawWebSocket raw = new RawWebSocket();
            raw.socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("mqtt")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/mqtt"), raw)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return raw;
        }

        /** Each part as a binary message of its own. */
        void send(byte[]... parts) throws Exception {
            for (byte[] part : parts) {
                socket.sendBinary(ByteBuffer.wrap(part), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** The next binary message from the broker as hex, or {@link #CLOSED}. */
        String next() throws InterruptedException {
            String message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return message == null ? "<nothing within " + WAIT + ">" : message;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                received.add(HexFormat.of().formatHex(partial.toByteArray()));
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            received.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            // The broker closing the TCP connection without a close frame ends here.
            received.add(CLOSED);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
