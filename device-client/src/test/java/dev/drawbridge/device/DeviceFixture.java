package dev.drawbridge.device;

import static org.awaitility.Awaitility.await;

import dev.drawbridge.device.config.ConfigLoader;
import dev.drawbridge.device.config.DeviceConfig;
import dev.drawbridge.device.door.DoorState;
import dev.drawbridge.device.door.SimulatedDoor;
import dev.drawbridge.device.mqtt.Backoff;
import dev.drawbridge.device.mqtt.MqttLink;
import dev.drawbridge.device.mqtt.TlsMaterial;
import dev.drawbridge.device.mqtt.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/** Starts the device in this JVM on a simulated door (travel 1 s, reed switches) against a test broker's TLS listener. */
public final class DeviceFixture implements AutoCloseable {

    public static final String BASE = "drawbridge/garage";
    public static final String COMMAND = BASE + "/cmd";
    public static final String STATE = BASE + "/state";
    public static final String AVAILABILITY = BASE + "/availability";
    public static final String EVENT = BASE + "/event";
    public static final String ATTRIBUTES = BASE + "/attributes";
    public static final String DISCOVERY = "homeassistant/cover/garage/door/config";
    public static final String HOME_ASSISTANT_STATUS = "homeassistant/status";

    /** Checks the broker by the test CA and its host name. */
    public static final String BY_CA = "  ca: ca.crt\n";

    /** Fast windows for tests: no settle, the default 1.5 s gap. */
    public static final String FAST = "  settle: 0ms\n";

    private final TestPki pki;
    private final int port;
    private @Nullable Device device;
    private @Nullable ScheduledExecutorService timer;
    private @Nullable MqttLink link;
    public final SimulatedDoor door = new SimulatedDoor(Clock.systemUTC(), Duration.ofSeconds(1), DoorState.CLOSED);

    public DeviceFixture(TestPki pki, int port) {
        this.pki = pki;
        this.port = port;
    }

    /** The config file text with the given TLS trust lines and {@code commands:} lines. */
    public String yaml(String trust, String commands) {
        return yaml("", trust, commands);
    }

    /** The config file text with more {@code mqtt:} lines, the given TLS trust lines and {@code commands:} lines. */
    public String yaml(String mqtt, String trust, String commands) {
        return "mqtt:\n"
                + mqtt
                + "  host: localhost\n"
                + "  port: " + port + "\n"
                + "  reconnect-initial: 200ms\n"
                + "  reconnect-max: 2s\n"
                + "tls:\n"
                + "  certificate: device.crt\n"
                + "  key: device.key\n"
                + trust
                + "door:\n"
                + "  node-id: garage\n"
                + "  travel-time: 1s\n"
                + "commands:\n"
                + commands;
    }

    public Path write(String yaml) throws Exception {
        Path file = Files.createTempFile(pki.dir, "device", ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    public Device start(String trust, String commands) throws Exception {
        return start("", trust, commands);
    }

    /** Starts the device in this JVM with more {@code mqtt:} lines as well. */
    public Device start(String mqtt, String trust, String commands) throws Exception {
        Path file = write(yaml(mqtt, trust, commands));
        DeviceConfig config = ConfigLoader.load(file);
        timer = Executors.newSingleThreadScheduledExecutor();
        device = Device.start(config, TlsMaterial.load(config, file), door.hardware(true), timer, Clock.systemUTC());
        return device;
    }

    /** Starts checking by CA with fast windows and waits until the device is online and listening. */
    public Device startOnline(MosquittoClients.Subscription availability) throws Exception {
        Device started = start(BY_CA, FAST);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> availability.payloads(AVAILABILITY).contains("online"));
        return started;
    }

    /**
     * The device's own MQTT connection (its config, certificate and will) without the opener behind it, connected, so
     * that a test can publish as the device where the device itself never would.
     */
    public MqttLink connectLink() throws Exception {
        Path file = write(yaml(BY_CA, FAST));
        DeviceConfig config = ConfigLoader.load(file);
        MqttLink.Listener ignore = new MqttLink.Listener() {
            @Override
            public void connected() {}

            @Override
            public void disconnected() {}

            @Override
            public void message(String topic, String payload, boolean retained) {}
        };
        MqttLink started = new MqttLink(
                config,
                TlsMaterial.load(config, file),
                new Topics(config.door().topicBase()),
                new Backoff(config.mqtt().reconnectInitial(), config.mqtt().reconnectMax(), () -> 0.5),
                ignore,
                Runnable::run);
        link = started;
        started.start();
        await().atMost(Duration.ofSeconds(10)).until(started::isConnected);
        return started;
    }

    /** The device jar, as {@code java -jar drawbridge-device.jar -c CONFIG}, its output to {@code log}. */
    public static Process startJar(Path config, Path log) throws IOException {
        return startJar(config, log, "INFO");
    }

    /** The device jar logging at {@code level} ({@code -Ddrawbridge.log.level}), its output to {@code log}. */
    public static Process startJar(Path config, Path log, String level) throws IOException {
        String jar = System.getProperty("drawbridge.device.jar", "target/drawbridge-device.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.writeString(log, "");
        return new ProcessBuilder(List.of(
                        java.toString(), "-Ddrawbridge.log.level=" + level, "-jar", jar, "-c", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
        if (device != null) {
            device.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
