package dev.drawbridge.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run a new user makes, as README's "Secure setup in three commands" and device-client/README.md describe
 * it: {@code pki quickstart --device garage}, the broker jar on the generated mosquitto.conf, and the device jar on
 * {@code device.example.yml} pointed at the generated files. An admin's OPEN moves the (simulated) door, whose state,
 * availability and Home Assistant discovery reach a subscriber: the quickstart's ACL lets the device's defaults
 * through.
 *
 * <p>Changed from what a user runs, and only this: the two listener ports (free ones, TLS bound to 127.0.0.1 so that
 * nothing listens on the LAN during a test), and in the example config {@code mqtt.host} (localhost, which the
 * quickstart's server certificate names), {@code mqtt.port} and the names of the certificate and key files.
 */
class FirstRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BASE = "drawbridge/garage";
    private static final String DISCOVERY = "homeassistant/cover/garage/door/config";

    @TempDir
    Path dir;

    private @Nullable TestBroker broker;
    private @Nullable Process device;
    private MosquittoClients.@Nullable Subscription watch;

    @AfterEach
    void stopAll() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (device != null) {
            device.destroy();
            if (!device.waitFor(10, TimeUnit.SECONDS)) {
                device.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void quickstartBrokerAndTheExampleDeviceConfigOpenTheDoorForHomeAssistant() throws Exception {
        Path setup = dir.resolve("drawbridge");
        Map<String, String> passwords = quickstart(setup);

        int tlsPort = TestBroker.freePort();
        int localPort = TestBroker.freePort();
        String conf = Files.readString(setup.resolve("mosquitto.conf"));
        String tested = conf.replace("\nlistener 8883\n", "\nlistener " + tlsPort + " 127.0.0.1\n")
                .replace("\nlistener 1883 127.0.0.1\n", "\nlistener " + localPort + " 127.0.0.1\n")
                .replace("\nlistener 8443 127.0.0.1\n", "\nlistener " + TestBroker.freePort() + " 127.0.0.1\n");
        assertThat(tested)
                .as("every listener line replaced")
                .doesNotContain("listener 8883", "listener 1883", "listener 8443");
        Path testedConf = Files.writeString(setup.resolve("test.conf"), tested);
        broker = TestBroker.startDrawbridge(testedConf, dir.resolve("broker.log"), tlsPort, localPort);

        MosquittoClients admin = MosquittoClients.login(localPort, "admin", passwords.get("admin"));
        watch = admin.subscribe(BASE + "/#", "homeassistant/#");
        await().atMost(WAIT).until(watch::subscribed);

        Path deviceLog = dir.resolve("device.log");
        device = startDevice(exampleConfig(setup.resolve("ca"), tlsPort), deviceLog);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(watch.payloads(BASE + "/availability"))
                        .as("device log:%n%s%nbroker log:%n%s", read(deviceLog), broker.log())
                        .contains("online"));
        await().atMost(WAIT).until(() -> !watch.payloads(DISCOVERY).isEmpty());
        JsonNode discovery = JSON.readTree(watch.payloads(DISCOVERY).get(0));
        assertThat(discovery.get("command_topic").asText()).isEqualTo(BASE + "/cmd");
        assertThat(discovery.get("state_topic").asText()).isEqualTo(BASE + "/state");
        assertThat(discovery.get("availability_topic").asText()).isEqualTo(BASE + "/availability");
        assertThat(watch.payloads(BASE + "/state")).containsExactly("closed");

        // The example's commands.settle (5 s) refuses commands that soon after connecting: wait it out.
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
        admin.publish(BASE + "/cmd", false, "OPEN");

        await().atMost(WAIT).until(() -> !watch.payloads(BASE + "/event").isEmpty());
        JsonNode event = JSON.readTree(watch.payloads(BASE + "/event").get(0));
        assertThat(event.get("result").asText()).as("event %s", event).isEqualTo("pulsed");
        // The example's simulated door takes simulation.travel-time (10 s) to open.
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(watch.payloads(BASE + "/state")).containsExactly("closed", "opening", "open"));
    }

    /** Runs the broker jar's {@code pki quickstart} as the README does; returns each user's printed password. */
    private static Map<String, String> quickstart(Path setup) throws Exception {
        Process quickstart = new ProcessBuilder(TestBroker.drawbridgeCommand(
                        "pki", "quickstart", setup.toString(), "--server", "mqtt.local", "--device", "garage"))
                .redirectErrorStream(true)
                .start();
        String out = new String(quickstart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(quickstart.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(quickstart.exitValue()).as(out).isZero();
        Map<String, String> passwords = new HashMap<>();
        String user = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("User ") || line.startsWith("Device ")) {
                user = line.split(" ")[1];
            } else if (line.startsWith("  password ") && user != null) {
                passwords.put(user, line.substring("  password ".length()).strip());
            }
        }
        assertThat(passwords).as(out).containsOnlyKeys("admin", "garage");
        return passwords;
    }

    /** device.example.yml, with the broker's address and the quickstart's file names, beside those files. */
    private static Path exampleConfig(Path caDir, int tlsPort) throws IOException {
        String example = Files.readString(Path.of(System.getProperty("drawbridge.device.example")));
        String config = replaceOnce(example, "  host: mqtt.local ", "  host: localhost ");
        config = replaceOnce(config, "  port: 8883 ", "  port: " + tlsPort + " ");
        config = replaceOnce(config, "  certificate: device.crt ", "  certificate: garage.crt ");
        config = replaceOnce(config, "  key: device.key ", "  key: garage.key ");
        assertThat(config).contains("  ca: ca.crt ");
        return Files.writeString(caDir.resolve("garage.yml"), config);
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text).as("device.example.yml has '%s'", from).containsOnlyOnce(from);
        return text.replace(from, to);
    }

    private static Process startDevice(Path config, Path log) throws IOException {
        String jar = System.getProperty("drawbridge.device.jar", "target/drawbridge-device.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-jar", jar, "-c", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
