package dev.drawbridge.broker.it.clients;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.Ports;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant's MQTT session, as its mqtt integration runs it since it moved to MQTT 5: Debian's
 * {@code python3-paho-mqtt} (1.6.1, installed by {@code .ci/run}) at MQTTv5, run by {@code /usr/bin/python3} from the
 * script {@code clients/home_assistant_session.py}, against the broker jar configured as {@code pki quickstart} writes
 * it (password file and ACL on the local listener; Home Assistant logs in as {@code admin}, which may use every topic).
 * The script connects with a generated 22-character client id and clean start, sets the will
 * {@code homeassistant/status offline} (retained), publishes the birth {@code online} (retained), subscribes to the
 * discovery and state topics, publishes a command with a message expiry, disconnects and connects again, and then
 * waits until the test kills it. A missing Python module fails the test (the script's output says which).
 */
class HomeAssistantSessionIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CLIENT_ID = "5Ft7yVbVnXvXqB2qdFYWbM"; // as Home Assistant generates them: 22 base62
    private static final String DISCOVERY = "{\"name\":\"Garage door\",\"command_topic\":\"drawbridge/garage/set\","
            + "\"state_topic\":\"drawbridge/garage/state\",\"unique_id\":\"garage-door\",\"device_class\":\"garage\"}";
    private static final String FORMAT = "%t|%p|%r|%E";

    @TempDir
    Path dir;

    private final List<ClientProcess> processes = new ArrayList<>();
    private final Map<String, String> passwords = new HashMap<>();
    private @Nullable ClientProcess broker;
    private int port;

    @AfterEach
    void stop() {
        processes.forEach(ClientProcess::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void homeAssistantsMqtt5SessionGetsDiscoveryBirthAndItsWillFromTheQuickstartBroker() throws Exception {
        startQuickstartBroker();
        // What the garage opener and its set-up left on the broker: its state and its discovery config, retained.
        assertThat(publishAs("garage", "-r", "-t", "drawbridge/garage/state", "-m", "closed")
                        .exitCode())
                .isZero();
        assertThat(publishAs("admin", "-r", "-t", "homeassistant/cover/garage/config", "-m", DISCOVERY)
                        .exitCode())
                .isZero();
        ClientProcess watcher = track(subscribed(
                port,
                "-u",
                "admin",
                "-P",
                password("admin"),
                "-V",
                "5",
                "-q",
                "1",
                "-t",
                "homeassistant/status",
                "-t",
                "drawbridge/garage/set",
                "-F",
                FORMAT));

        ClientProcess homeAssistant = track(ClientProcess.start(
                List.of(
                        PYTHON.toString(),
                        "-u",
                        script().toString(),
                        "127.0.0.1",
                        Integer.toString(port),
                        "admin",
                        password("admin"),
                        CLIENT_ID),
                dir));
        try {
            homeAssistant.awaitLine("READY"::equals, WAIT);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("the Home Assistant session did not get ready: " + homeAssistant.output(), e);
        }

        // The retained messages of the second session may come after READY (the SUBACK comes first).
        String discovery = "MESSAGE homeassistant/cover/garage/config " + DISCOVERY + " retain=1 expiry=None";
        String state = "MESSAGE drawbridge/garage/state closed retain=1 expiry=None";
        Awaitility.await("the retained messages of both sessions")
                .atMost(WAIT)
                .until(() -> homeAssistant.stdout().stream()
                                .filter(l -> l.equals(discovery) || l.equals(state))
                                .count()
                        >= 4);
        List<String> said = homeAssistant.stdout();
        assertThat(said.get(0)).as("paho-mqtt of Debian").startsWith("PAHO 1.");
        assertThat(lines(said, "CONNACK"))
                .as("MQTT 5 CONNACK, first and after the reconnect")
                .containsExactly("CONNACK Success session_present=0", "CONNACK Success session_present=0");
        assertThat(lines(said, "SUBACK")).containsExactly("SUBACK 0 0 1 1", "SUBACK 0 0 1 1");
        assertThat(said)
                .as("retained discovery and state, in each of the two sessions")
                .filteredOn(l -> l.equals(discovery) || l.equals(state))
                .containsExactlyInAnyOrder(discovery, discovery, state, state);
        assertThat(said)
                .contains(
                        "MESSAGE homeassistant/status online retain=1 expiry=None", "PUBLISHED drawbridge/garage/set");
        assertThat(lines(said, "DISCONNECTED")).containsExactly("DISCONNECTED 0");

        // The command arrived with its expiry counted from 30 s; the birth was retained.
        String command = watcher.awaitLine(l -> l.startsWith("drawbridge/garage/set|"), WAIT);
        assertThat(command).startsWith("drawbridge/garage/set|OPEN|0|");
        assertThat(Long.parseLong(command.substring(command.lastIndexOf('|') + 1)))
                .isBetween(28L, 30L);
        assertThat(retainedStatus()).isEqualTo("online|1|");

        homeAssistant.kill(); // SIGKILL: the connection is cut without DISCONNECT

        watcher.awaitLine("homeassistant/status|offline|0|"::equals, WAIT);
        // The normal DISCONNECT of the reconnect published no will: births, then the will, and nothing between.
        assertThat(watcher.stdout())
                .filteredOn(l -> l.startsWith("homeassistant/status|"))
                .containsExactly(
                        "homeassistant/status|online|0|",
                        "homeassistant/status|online|0|",
                        "homeassistant/status|offline|0|");
        assertThat(retainedStatus()).as("the will, retained").isEqualTo("offline|1|");
    }

    /** {@code pki quickstart} by the jar, with its config copied onto free ports, then the broker jar on it. */
    private void startQuickstartBroker() throws Exception {
        Result quickstart =
                BrokerJar.run(dir, "pki", "quickstart", dir.toString(), "--server", "mqtt.local", "--device", "garage");
        assertThat(quickstart.exitCode()).as("%s", quickstart).isZero();
        String user = null;
        for (String line : quickstart.stdout()) {
            if (line.startsWith("User ") || line.startsWith("Device ")) {
                user = line.split(" ")[1];
            } else if (line.startsWith("  password ") && user != null) {
                passwords.put(user, line.substring("  password ".length()).strip());
            }
        }
        assertThat(passwords).containsOnlyKeys("admin", "garage");
        port = Ports.free();
        String conf = Files.readString(dir.resolve("mosquitto.conf"))
                .replace("\nlistener 8883\n", "\nlistener " + Ports.free() + "\n")
                .replace("\nlistener 1883 127.0.0.1\n", "\nlistener " + port + " 127.0.0.1\n")
                .replace("\nlistener 8443 127.0.0.1\n", "\nlistener " + Ports.free() + " 127.0.0.1\n");
        assertThat(conf).contains("listener " + port + " 127.0.0.1\n", "password_file ", "acl_file ");
        Path test = Files.writeString(dir.resolve("test.conf"), conf);
        broker = BrokerJar.start(dir, "-c", test.toString());
    }

    private Result publishAs(String user, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-u", user, "-P", password(user), "-V", "5", "-q", "1"));
        all.addAll(List.of(args));
        return pub(port, all.toArray(String[]::new));
    }

    /** The retained {@code homeassistant/status}: payload, RETAIN flag and expiry as a new subscriber sees it. */
    private String retainedStatus() throws Exception {
        Result read = MosquittoClients.subUntilDone(
                port,
                "-u",
                "admin",
                "-P",
                password("admin"),
                "-V",
                "5",
                "-t",
                "homeassistant/status",
                "-C",
                "1",
                "-W",
                "10",
                "-F",
                "%p|%r|%E");
        assertThat(read.exitCode()).as("%s", read).isZero();
        return read.stdout().get(0);
    }

    private Path script() throws Exception {
        Path script = dir.resolve("home_assistant_session.py");
        try (InputStream in = getClass().getResourceAsStream("/clients/home_assistant_session.py")) {
            assertThat(in).as("test resource clients/home_assistant_session.py").isNotNull();
            Files.copy(in, script);
        }
        return script;
    }

    private String password(String user) {
        String password = passwords.get(user);
        assertThat(password).as("password of %s from pki quickstart", user).isNotNull();
        return password;
    }

    private ClientProcess track(ClientProcess process) {
        processes.add(process);
        return process;
    }

    private static List<String> lines(List<String> said, String prefix) {
        return said.stream().filter(l -> l.startsWith(prefix + " ")).toList();
    }
}
