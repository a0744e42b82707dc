package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Reload on SIGHUP" on the broker as users run it: {@code java -jar drawbridge.jar -c mosquitto.conf}, the password
 * and ACL files changed on disk, then {@code kill -HUP PID}. Each test first shows the rule in force (the positive
 * control), then changes the file, signals, and shows the new rule applied to clients that stayed connected.
 */
class SighupJarReloadIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    /** The ACL before a test tightens it: alice reads {@code door/#} and {@code ping/#}, bob writes everything. */
    private static final String ACL = "user alice\ntopic read door/#\ntopic read ping/#\n\nuser bob\ntopic write #\n";

    @TempDir
    Path dir;

    private int port;
    private @Nullable ClientProcess broker;
    private final List<Mqtt3BlockingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        port = Ports.free();
        TestBrokers.passwordFile(dir.resolve("passwd"), Map.of("alice", "alice-pw", "bob", "bob-pw", "carol", "c-pw"));
        Files.writeString(dir.resolve("acl"), ACL, UTF_8);
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file passwd\nacl_file acl\n",
                UTF_8);
        broker = BrokerJar.start(dir, "-c", "mosquitto.conf");
    }

    @AfterEach
    void stop() {
        clients.forEach(c -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        if (broker != null) {
            broker.close();
        }
    }

    private Mqtt3BlockingClient login(String clientId, String user, String password) {
        Mqtt3BlockingClient client = TestBrokers.connectedHivemq(port, clientId, user, password);
        clients.add(client);
        return client;
    }

    private int loginCode(String user, String password) {
        Mqtt3BlockingClient client = TestBrokers.hivemq(port, "retry-" + user);
        clients.add(client);
        return TestBrokers.login(client, Optional.of(user), Optional.of(password.getBytes(UTF_8)));
    }

    /** {@code kill -HUP} and the broker's log line that it has reloaded. */
    private void sighup() throws Exception {
        ClientProcess running = broker;
        assertThat(running).isNotNull();
        long before = running.output().stream()
                .filter(l -> l.contains("Reloading config."))
                .count();
        BrokerJar.signal(running, "HUP");
        await("the reload log line")
                .atMost(WAIT)
                .until(() -> running.output().stream()
                                .filter(l -> l.contains("Reloading config."))
                                .count()
                        > before);
        assertThat(running.isAlive()).isTrue();
    }

    @Test
    void aUserRemovedWithPasswdIsDisconnectedAndRefusedAfterSighup() throws Exception {
        Mqtt3BlockingClient carol = login("carol-1", "carol", "c-pw");
        Mqtt3BlockingClient alice = login("alice-1", "alice", "alice-pw");
        // Positive control: a reload with the file unchanged keeps carol connected and able to log in again.
        sighup();
        assertThat(loginCode("carol", "c-pw"))
                .as("carol's second login before the change")
                .isZero();

        Result removed = BrokerJar.run(dir, "passwd", "-D", "passwd", "carol");
        assertThat(removed.exitCode())
                .as("drawbridge passwd -D: %s", removed.stderr())
                .isZero();
        assertThat(Files.readString(dir.resolve("passwd"), UTF_8)).doesNotContain("carol:");
        sighup();

        await("carol disconnected").atMost(WAIT).until(() -> !carol.getState().isConnected());
        assertThat(loginCode("carol", "c-pw"))
                .as("CONNACK for carol after the reload")
                .isEqualTo(5);
        assertThat(alice.getState().isConnected())
                .as("alice, still in the file, stays")
                .isTrue();
        assertThat(loginCode("alice", "alice-pw")).isZero();
    }

    @Test
    void aTightenedAclStopsDeliveriesToALiveSubscriptionAfterSighup() throws Exception {
        Mqtt3BlockingClient alice = login("alice-sub", "alice", "alice-pw");
        Mqtt3BlockingClient bob = login("bob-pub", "bob", "bob-pw");
        try (Mqtt3Publishes inbox = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            alice.subscribeWith()
                    .topicFilter("door/state")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            alice.subscribeWith().topicFilter("ping").qos(MqttQos.AT_LEAST_ONCE).send();

            publish(bob, "door/state", "before");
            assertThat(next(inbox))
                    .as("positive control: door/state before the change")
                    .isEqualTo("door/state before");

            Files.writeString(dir.resolve("acl"), ACL.replace("topic read door/#\n", ""), UTF_8);
            sighup();

            // The same publisher and QoS: had door/state still been delivered, it would come before the ping.
            publish(bob, "door/state", "after");
            publish(bob, "ping", "marker");
            assertThat(next(inbox)).as("first message after the reload").isEqualTo("ping marker");
            assertThat(alice.getState().isConnected()).isTrue();
        }
    }

    @Test
    void aLogDestFileAddedToMosquittoConfIsWrittenAfterSighup() throws Exception {
        Path logFile = dir.resolve("broker.log");
        assertThat(logFile).doesNotExist();
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file passwd\nacl_file acl\n"
                        + "log_dest file broker.log\n",
                UTF_8);
        sighup();

        login("after-reload", "alice", "alice-pw");
        await("the connection logged in broker.log")
                .atMost(WAIT)
                .until(() -> Files.exists(logFile)
                        && Files.readString(logFile, UTF_8).contains("as after-reload"));
    }

    private static void publish(Mqtt3BlockingClient client, String topic, String text) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(UTF_8))
                .send();
    }

    private static String next(Mqtt3Publishes inbox) throws InterruptedException {
        Optional<Mqtt3Publish> publish = inbox.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(publish).as("a message within %s", WAIT).isPresent();
        return publish.get().getTopic() + " " + new String(publish.get().getPayloadAsBytes(), UTF_8);
    }
}
