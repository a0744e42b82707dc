package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Drawbridge#reload()} (what SIGHUP calls) on a broker started from {@code mosquitto.conf}: the file is read
 * again and what it changes is applied, unless it has a problem (then nothing is) or the change needs a restart (then
 * that change is logged with its line and not applied). Each test shows the state before the reload as its control.
 */
class ConfigReloadIT {

    private static final Duration LOGGED = Duration.ofSeconds(5);
    private static final String ACL = "user admin\ntopic readwrite #\n\nuser alice\ntopic readwrite home/#\n";
    private static final String ACL2 = "user admin\ntopic readwrite #\n\nuser alice\ntopic readwrite garage/#\n";

    @TempDir
    Path dir;

    private Path conf;
    private @Nullable Drawbridge broker;
    private LogCapture log;
    private final List<RawMqttClient> clients = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients5 = new ArrayList<>();

    @BeforeEach
    void files() {
        log = LogCapture.of("dev.drawbridge.broker");
        conf = dir.resolve("mosquitto.conf");
        TestBrokers.passwordFile(dir.resolve("passwd"), Map.of("alice", "alice-pw", "admin", "admin-pw"));
        TestBrokers.passwordFile(dir.resolve("passwd2"), Map.of("bob", "bob-pw", "admin", "admin-pw"));
        TestBrokers.write(dir.resolve("acl"), ACL.getBytes(UTF_8));
        TestBrokers.write(dir.resolve("acl2"), ACL2.getBytes(UTF_8));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawMqttClient::close);
        clients5.forEach(c -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        if (broker != null) {
            broker.close();
        }
        log.close();
    }

    @Test
    void aSyntaxErrorKeepsThePreviousConfigurationWholeUntilTheLineIsFixed() throws Exception {
        int port = start(
                "listener 0 127.0.0.1",
                "allow_anonymous true",
                "password_file " + dir.resolve("passwd"),
                "acl_file " + dir.resolve("acl"));
        RawMqttClient alice = login(port, "alice-1", "alice", "alice-pw");
        RawMqttClient obs = login(port, "obs", "admin", "admin-pw");
        obs.subscribe("#", 1);

        // Three changes that would apply, and a bad line 5.
        write(
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                "acl_file " + dir.resolve("acl2"),
                "max_keepalive sixty");
        reload();

        log.await(
                m -> m.matches("Reload kept the previous configuration: " + Pattern.quote(conf.toString())
                        + ":5: max_keepalive: .+"),
                LOGGED);
        assertThat(anonymousConnack(port))
                .as("anonymous login: allow_anonymous true kept")
                .isZero();
        assertThat(published(alice, obs, "home/x", "kept"))
                .as("alice's home/x: the old ACL kept")
                .isTrue();
        assertThat(published(alice, obs, "garage/x", "kept"))
                .as("alice's garage/x: acl2 not applied")
                .isFalse();

        // The same file with the bad line fixed: every change applies.
        write(
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                "acl_file " + dir.resolve("acl2"),
                "max_keepalive 60");
        reload();

        assertThat(anonymousConnack(port)).as("anonymous login after the fix").isEqualTo(5);
        assertThat(published(alice, obs, "garage/x", "fixed"))
                .as("alice's garage/x after the fix")
                .isTrue();
        assertThat(published(alice, obs, "home/x", "fixed"))
                .as("alice's home/x after the fix")
                .isFalse();
    }

    @Test
    void aChangedPortIsLoggedAsNeedingARestartAndTheOldPortKeepsServingWithTheOtherChangesApplied() throws Exception {
        int port = Ports.free();
        int newPort = Ports.free();
        start("listener " + port + " 127.0.0.1", "allow_anonymous true");
        assertThat(anonymousConnack(port))
                .as("anonymous login before the reload")
                .isZero();

        write("listener " + newPort + " 127.0.0.1", "allow_anonymous false");
        reload();

        log.await(
                m -> m.equals(conf + ":1: listener 127.0.0.1:" + port + ": port " + newPort + " (was " + port
                        + ") needs a restart; not applied, the listener keeps serving as it was"),
                LOGGED);
        assertThat(isOpen(newPort)).as("the new port").isFalse();
        assertThat(anonymousConnack(port))
                .as("anonymous login on the old port: allow_anonymous false applied")
                .isEqualTo(5);
    }

    @Test
    void limitsReachConnectionsMadeAfterTheReload() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true");
        Mqtt5ConnAck before = connect5(port, "before");
        assertThat(before.getRestrictions().getReceiveMaximum()).isEqualTo(20);
        assertThat(before.getRestrictions().isRetainAvailable()).isTrue();
        assertThat(before.getServerKeepAlive()).isEmpty();

        write(
                "listener 0 127.0.0.1",
                "allow_anonymous true",
                "max_inflight_messages 5",
                "max_packet_size 5000",
                "max_keepalive 30",
                "retain_available false");
        reload();

        Mqtt5ConnAck after = connect5(port, "after");
        assertThat(after.getRestrictions().getReceiveMaximum())
                .as("max_inflight_messages")
                .isEqualTo(5);
        assertThat(after.getRestrictions().getMaximumPacketSize())
                .as("max_packet_size")
                .isEqualTo(5000);
        assertThat(after.getServerKeepAlive()).as("max_keepalive").hasValue(30);
        assertThat(after.getRestrictions().isRetainAvailable())
                .as("retain_available")
                .isFalse();
    }

    @Test
    void perListenerAnonymousAccessChangesOnlyItsListener() throws Exception {
        int first = Ports.free();
        int second = Ports.free();
        start(
                "per_listener_settings true",
                "listener " + first + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + second + " 127.0.0.1",
                "allow_anonymous true");
        RawMqttClient onFirst = anonymous(first, "anon-first");
        RawMqttClient onSecond = anonymous(second, "anon-second");

        write(
                "per_listener_settings true",
                "listener " + first + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + second + " 127.0.0.1",
                "allow_anonymous false");
        reload();

        assertThat(onSecond.awaitClosed(LOGGED))
                .as("the anonymous client of the second listener")
                .isTrue();
        onFirst.ping();
        assertThat(anonymousConnack(first))
                .as("anonymous login on the first listener")
                .isZero();
        assertThat(anonymousConnack(second))
                .as("anonymous login on the second listener")
                .isEqualTo(5);
    }

    @Test
    void listenerAllowAnonymousAddedByAReloadClosesOnlyItsListener() throws Exception {
        int first = Ports.free();
        int second = Ports.free();
        start("allow_anonymous true", "listener " + first + " 127.0.0.1", "listener " + second + " 127.0.0.1");
        assertThat(anonymousConnack(second))
                .as("anonymous login on the second listener before")
                .isZero();

        write(
                "allow_anonymous true",
                "listener " + first + " 127.0.0.1",
                "listener " + second + " 127.0.0.1",
                "listener_allow_anonymous false");
        reload();

        assertThat(anonymousConnack(first))
                .as("anonymous login on the first listener")
                .isZero();
        assertThat(anonymousConnack(second))
                .as("anonymous login on the second listener")
                .isEqualTo(5);
    }

    @Test
    void messageSizeLimitAddedByAReloadDropsLargerPayloadsOfNewConnections() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true");
        RawMqttClient obs = anonymous(port, "obs");
        obs.subscribe("#", 1);
        RawMqttClient before = anonymous(port, "before");
        assertThat(published(before, obs, "size/x", "twenty-bytes-payload"))
                .as("20 bytes before")
                .isTrue();

        write("listener 0 127.0.0.1", "allow_anonymous true", "message_size_limit 10");
        reload();

        RawMqttClient after = anonymous(port, "after");
        assertThat(published(after, obs, "size/y", "small")).as("5 bytes after").isTrue();
        assertThat(published(after, obs, "size/y", "twenty-bytes-payload"))
                .as("20 bytes after")
                .isFalse();
    }

    @Test
    void maxQueuedMessagesChangedByAReloadBoundsTheQueueOfASessionThatWasAlreadyThere() throws Exception {
        int port = start("listener 0 127.0.0.1", "allow_anonymous true");
        RawMqttClient pub = anonymous(port, "pub");
        Mqtt3BlockingClient away = MqttClient.builder()
                .useMqttVersion3()
                .identifier("away")
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        away.connectWith().cleanSession(false).send();
        away.subscribeWith().topicFilter("queue/#").qos(MqttQos.AT_LEAST_ONCE).send();
        disconnect(away);
        assertThat(queuedWhileAway(away, pub, "before"))
                .as("queued while away before the reload")
                .isEqualTo(5);

        write("listener 0 127.0.0.1", "allow_anonymous true", "max_queued_messages 2");
        reload();

        assertThat(queuedWhileAway(away, pub, "after"))
                .as("queued while away after the reload")
                .isEqualTo(2);
    }

    /**
     * Five QoS 1 messages published while {@code away}'s persistent session is offline; it comes back, and a marker
     * published right after the CONNACK arrives after whatever was queued: the messages before it are those the queue
     * kept. The marker is routed to an online session, where the queued messages, each with an in-flight slot, no
     * longer count against {@code max_queued_messages}, whether the session has sent them yet or not.
     */
    private int queuedWhileAway(Mqtt3BlockingClient away, RawMqttClient pub, String round) throws Exception {
        for (int i = 0; i < 5; i++) {
            pub.publish("queue/" + round, "m" + i, 1, false);
        }
        try (Mqtt3Publishes inbox = away.publishes(MqttGlobalPublishFilter.ALL)) {
            away.connectWith().cleanSession(false).send();
            pub.publish("queue/marker", round, 1, false);
            int queued = 0;
            while (true) {
                Optional<Mqtt3Publish> next = inbox.receive(LOGGED.toSeconds(), TimeUnit.SECONDS);
                assertThat(next)
                        .as("a message or the marker of round %s", round)
                        .isPresent();
                if (next.get().getTopic().toString().equals("queue/marker")) {
                    break;
                }
                queued++;
            }
            disconnect(away);
            return queued;
        }
    }

    /**
     * Disconnects {@code away} and waits until the broker has closed its connection: published before that, a message
     * would still go to the live session, in flight, and not through the queue whose limit is under test.
     */
    private void disconnect(Mqtt3BlockingClient away) {
        String line = "Client away disconnected.";
        long before = log.messages().stream().filter(line::equals).count();
        away.disconnect();
        Awaitility.await("the broker closing away's connection")
                .atMost(LOGGED)
                .until(() -> log.messages().stream().filter(line::equals).count() > before);
    }

    @Test
    void mosquitto21PasswordFilePluginOptionChangesItsFile() throws Exception {
        String plugin = "plugin /usr/lib/x86_64-linux-gnu/mosquitto_password_file.so";
        int port = start(
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                plugin,
                "plugin_opt_password_file " + dir.resolve("passwd"));
        assertThat(connack(port, "alice", "alice-pw")).as("alice, in passwd").isZero();
        assertThat(connack(port, "bob", "bob-pw")).as("bob, not in passwd").isEqualTo(5);

        write(
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                plugin,
                "plugin_opt_password_file " + dir.resolve("passwd2"));
        reload();

        assertThat(connack(port, "alice", "alice-pw"))
                .as("alice, not in passwd2")
                .isEqualTo(5);
        assertThat(connack(port, "bob", "bob-pw")).as("bob, in passwd2").isZero();
    }

    @Test
    void mosquitto21AclFilePluginOptionChangesItsFile() throws Exception {
        String plugin = "plugin /usr/lib/mosquitto/mosquitto_acl_file.so";
        int port = start(
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                plugin,
                "plugin_opt_acl_file " + dir.resolve("acl"));
        RawMqttClient alice = login(port, "alice-1", "alice", "alice-pw");
        RawMqttClient obs = login(port, "obs", "admin", "admin-pw");
        obs.subscribe("#", 1);
        assertThat(published(alice, obs, "home/x", "before"))
                .as("home/x, in acl")
                .isTrue();
        assertThat(published(alice, obs, "garage/x", "before"))
                .as("garage/x, not in acl")
                .isFalse();

        write(
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                plugin,
                "plugin_opt_acl_file " + dir.resolve("acl2"));
        reload();

        assertThat(published(alice, obs, "garage/x", "after"))
                .as("garage/x, in acl2")
                .isTrue();
        assertThat(published(alice, obs, "home/x", "after"))
                .as("home/x, not in acl2")
                .isFalse();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private int start(String... lines) throws Exception {
        write(lines);
        Drawbridge started = Drawbridge.start(conf);
        broker = started;
        return started.port();
    }

    private void write(String... lines) throws IOException {
        Files.writeString(conf, String.join("\n", lines) + "\n", UTF_8);
    }

    private void reload() {
        Drawbridge running = broker;
        assertThat(running).isNotNull();
        running.reload();
    }

    /** Whether {@code from}'s QoS 1 PUBLISH reaches {@code to}, subscribed to {@code #}. */
    private static boolean published(RawMqttClient from, RawMqttClient to, String topic, String payload) {
        from.publish(topic, payload, 1, false);
        to.barrier();
        return to.received(topic, payload);
    }

    private RawMqttClient login(int port, String clientId, String user, String password) {
        RawMqttClient client = RawMqttClient.connected(port, 4, clientId, Optional.of(user), Optional.of(password));
        clients.add(client);
        return client;
    }

    private RawMqttClient anonymous(int port, String clientId) {
        RawMqttClient client = RawMqttClient.connected(port, 4, clientId, Optional.empty(), Optional.empty());
        clients.add(client);
        return client;
    }

    private static int connack(int port, String user, String password) {
        try (RawMqttClient client = RawMqttClient.open(port)) {
            return client.connect(4, "login-" + user, Optional.of(user), Optional.of(password.getBytes(UTF_8)), null);
        }
    }

    private static int anonymousConnack(int port) {
        try (RawMqttClient client = RawMqttClient.open(port)) {
            return client.connect(4, "anonymous-login", Optional.empty(), Optional.empty(), null);
        }
    }

    private Mqtt5ConnAck connect5(int port, String id) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        clients5.add(client);
        return client.connectWith().keepAlive(60).send();
    }

    private static boolean isOpen(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
