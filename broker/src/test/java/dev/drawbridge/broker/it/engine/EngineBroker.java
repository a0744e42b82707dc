package dev.drawbridge.broker.it.engine;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Drawbridge per engine test, on 127.0.0.1 and a port the OS picks, with the test's own
 * {@code mosquitto.conf} lines, and the clients connected to it. After the test the clients are closed, then the
 * broker, and its folder is deleted.
 *
 * <pre>{@code
 * @RegisterExtension
 * final EngineBroker broker = EngineBroker.startedByTheTest();
 * }</pre>
 */
final class EngineBroker implements BeforeEachCallback, AfterEachCallback {

    private final @Nullable List<String> startLines;
    private final List<RawConnection> raw = new ArrayList<>();
    private final List<Mqtt3AsyncClient> clients = new ArrayList<>();
    private @Nullable Path dir;
    private @Nullable Drawbridge broker;

    private EngineBroker(@Nullable List<String> startLines) {
        this.startLines = startLines;
    }

    /** Started before each test with {@code listener}, {@code allow_anonymous true} and these lines. */
    static EngineBroker startedBeforeEachTest(String... lines) {
        return new EngineBroker(List.of(lines));
    }

    /** Started by the test with {@link #start}, after it has written the files its lines name into {@link #dir()}. */
    static EngineBroker startedByTheTest() {
        return new EngineBroker(null);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("engine-it");
        if (startLines != null) {
            start(startLines.toArray(String[]::new));
        }
    }

    /** Writes {@code mosquitto.conf} ({@code listener 0 127.0.0.1}, {@code allow_anonymous true}, the lines), starts. */
    void start(String... lines) {
        assertThat(broker).as("a broker already started for this test").isNull();
        broker = DrawbridgeBroker.start(dir(), List.of(lines));
    }

    /** The test's folder, where {@code mosquitto.conf} goes and any file it names. */
    Path dir() {
        if (dir == null) {
            throw new IllegalStateException("no test is running");
        }
        return dir;
    }

    int port() {
        return broker().port();
    }

    /** What SIGHUP does: reads the configuration and the files it names again. */
    void reload() {
        broker().reload();
    }

    /** Runs {@code mosquitto_pub} with these arguments, which must succeed. */
    void publish(String... args) throws IOException, InterruptedException {
        assertThat(pub(port(), args).exitCode())
                .as("mosquitto_pub %s", List.of(args))
                .isZero();
    }

    /** A raw connection that has sent nothing yet. */
    RawConnection open() {
        return openOn(0);
    }

    /** A raw connection to the listener at this place in the configuration (0: the first), that has sent nothing. */
    RawConnection openOn(int listener) {
        RawConnection connection =
                RawConnection.open(broker().listeners().get(listener).port());
        raw.add(connection);
        return connection;
    }

    /** Sends the CONNECT and returns the CONNACK, whatever its code. */
    Frame connect(RawConnection connection, Connect connect) {
        connection.send(connect.bytes());
        return connection.expect(Frame.CONNACK, RawClients.ANSWER);
    }

    /** A raw connection whose CONNECT was accepted. */
    RawConnection connected(Connect connect) {
        RawConnection connection = open();
        Frame connack = connect(connection, connect);
        assertThat(connack.returnCode())
                .as("CONNACK for %s: %s", connect, connack)
                .isZero();
        return connection;
    }

    /** An MQTT 3.1.1 HiveMQ client for this broker, not connected yet; disconnected after the test. */
    Mqtt3AsyncClient client(String id) {
        Mqtt3AsyncClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port())
                .buildAsync();
        clients.add(client);
        return client;
    }

    /** A HiveMQ client ({@link #client}) whose connect succeeded within 10 s. */
    Mqtt3AsyncClient connectedClient(String id) {
        Mqtt3AsyncClient client = client(id);
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            clients.forEach(EngineBroker::disconnect);
            raw.forEach(RawConnection::close);
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (dir != null) {
                delete(dir);
            }
        }
    }

    /** Disconnects, if it is connected; waits 5 s at most. */
    static void disconnect(Mqtt3AsyncClient client) {
        client.disconnect()
                .orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
    }

    private Drawbridge broker() {
        if (broker == null) {
            throw new IllegalStateException("the test has not started its broker");
        }
        return broker;
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
