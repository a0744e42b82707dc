package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.drawbridge.broker.Drawbridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACL plugins in a real broker: the example project {@code acl/examples/garage-hours}, compiled and jarred here at test
 * time, and small plugins that fail on purpose. A plugin is asked before the {@code acl_file}, and its first allow or
 * deny wins; an exception from a check is a deny; a plugin that cannot start stops the broker from starting.
 */
class PluginIT {

    private static final String ADMIN = "user admin\ntopic readwrite #\n";
    /** Throws from its authenticator for user "boom" and from its authorizer for PUBLISH under "boom/"; else abstains. */
    private static final String THROWING = """
            package test.plugins;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authenticator;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import java.util.Map;

            public final class ThrowingPlugin implements AclPlugin {
                @Override public String name() { return "throwing"; }
                @Override public void init(Map<String, String> options) {}
                @Override public Authenticator authenticator() {
                    return request -> {
                        if (request.identity().effectiveUsername().orElse("").equals("boom")) {
                            throw new IllegalStateException("authenticator exploded");
                        }
                        return Decision.abstain();
                    };
                }
                @Override public Authorizer authorizer() {
                    return request -> {
                        if (request.access() == Access.PUBLISH && request.topic().startsWith("boom/")) {
                            throw new IllegalStateException("authorizer exploded");
                        }
                        return Decision.abstain();
                    };
                }
            }
            """;

    private static final String INIT_FAILS = """
            package test.plugins;

            import dev.drawbridge.acl.spi.AclPlugin;
            import java.util.Map;

            public final class InitFailsPlugin implements AclPlugin {
                @Override public String name() { return "init-fails"; }
                @Override public void init(Map<String, String> options) {
                    throw new IllegalArgumentException("init exploded");
                }
            }
            """;

    /** Denies SUBSCRIBE to filters under "nosub/"; abstains on everything else. */
    private static final String NO_SUBSCRIBE = """
            package test.plugins;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import java.util.Map;

            public final class NoSubscribePlugin implements AclPlugin {
                @Override public String name() { return "no-subscribe"; }
                @Override public void init(Map<String, String> options) {}
                @Override public Authorizer authorizer() {
                    return request -> request.access() == Access.SUBSCRIBE && request.topic().startsWith("nosub/")
                            ? Decision.deny("no subscriptions under nosub/")
                            : Decision.abstain();
                }
            }
            """;

    /**
     * Denies a PUBLISH (or will) carrying the MQTT 5 user property door=force; abstains on everything else. It also
     * denies when it could change the user properties it was given (they must be read-only).
     */
    private static final String NO_FORCE = """
            package test.plugins;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import dev.drawbridge.acl.spi.UserProperty;
            import java.util.Map;

            public final class NoForcePlugin implements AclPlugin {
                private static final UserProperty FORCE = new UserProperty("door", "force");

                @Override public String name() { return "no-force"; }
                @Override public void init(Map<String, String> options) {}
                @Override public Authorizer authorizer() {
                    return request -> {
                        if (request.access() != Access.PUBLISH) {
                            return Decision.abstain();
                        }
                        try {
                            request.userProperties().add(FORCE);
                            return Decision.deny("the user properties were writable");
                        } catch (UnsupportedOperationException expected) {
                            // read-only, as the SPI promises
                        }
                        return request.userProperties().contains(FORCE)
                                ? Decision.deny("door=force is not allowed")
                                : Decision.abstain();
                    };
                }
            }
            """;

    private static Path garageJar;
    private static Path garageJarWithoutServices;
    private static Path throwingJar;
    private static Path initFailsJar;
    private static Path noSubscribeJar;
    private static Path noForceJar;

    @TempDir
    Path dir;

    private Drawbridge broker;
    private final List<RawMqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void buildJars(@TempDir Path work) {
        Path example = exampleProject();
        Path garage = PluginJars.compile(example.resolve("src/main/java"), work.resolve("garage"));
        garageJar = PluginJars.jar(
                garage, work.resolve("garage-hours.jar"), List.of(), List.of(example.resolve("src/main/resources")));
        garageJarWithoutServices = PluginJars.jar(garage, work.resolve("garage-no-services.jar"), List.of(), List.of());
        Path failing = PluginJars.compile(
                Map.of(
                        "test.plugins.ThrowingPlugin",
                        THROWING,
                        "test.plugins.InitFailsPlugin",
                        INIT_FAILS,
                        "test.plugins.NoSubscribePlugin",
                        NO_SUBSCRIBE,
                        "test.plugins.NoForcePlugin",
                        NO_FORCE),
                work.resolve("failing"));
        throwingJar = PluginJars.jar(
                failing, work.resolve("throwing.jar"), List.of("test.plugins.ThrowingPlugin"), List.of());
        initFailsJar = PluginJars.jar(
                failing, work.resolve("init-fails.jar"), List.of("test.plugins.InitFailsPlugin"), List.of());
        noSubscribeJar = PluginJars.jar(
                failing, work.resolve("no-subscribe.jar"), List.of("test.plugins.NoSubscribePlugin"), List.of());
        noForceJar =
                PluginJars.jar(failing, work.resolve("no-force.jar"), List.of("test.plugins.NoForcePlugin"), List.of());
    }

    @AfterEach
    void stop() {
        clients.forEach(RawMqttClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void outsideOpeningHoursThePluginDeniesWhatTheAclAllows() {
        start(
                ADMIN + "user garage-controller\ntopic write garage/cmd\ntopic write garage/state\n"
                        + "user alice\ntopic readwrite garage/#\n",
                garage("2026-01-15T02:30:00Z")); // 03:30 in Berlin
        RawMqttClient observer = login("observer", "admin");
        observer.subscribe("garage/#", 1);
        RawMqttClient controller = login("controller", "garage-controller");
        RawMqttClient alice = login("alice-1", "alice");

        controller.publish("garage/cmd", "open at night", 1, false);
        controller.publish("garage/state", "closed", 1, false);
        alice.publish("garage/cmd", "alice opens", 1, false);
        broker.reload(); // a reloaded plugin decides the same
        controller.publish("garage/cmd", "open after reload", 1, false);
        observer.barrier();

        assertThat(observer.publishes())
                .extracting(p -> p.topic() + " " + p.payload())
                .containsExactly("garage/state closed");
    }

    @Test
    void insideOpeningHoursThePluginAllowsWhatTheAclDoesNot() {
        start(
                ADMIN + "user garage-controller\ntopic write garage/state\nuser alice\ntopic readwrite garage/#\n",
                garage("2026-01-15T11:00:00Z")); // 12:00 in Berlin
        RawMqttClient observer = login("observer", "admin");
        observer.subscribe("garage/#", 1);
        RawMqttClient controller = login("controller", "garage-controller");
        RawMqttClient alice = login("alice-1", "alice");

        controller.publish("garage/cmd", "open at noon", 1, false);
        alice.publish("garage/cmd", "alice opens", 1, false);
        alice.publish("garage/other", "alice's own", 1, false);
        observer.barrier();

        assertThat(observer.publishes())
                .extracting(p -> p.topic() + " " + p.payload())
                .containsExactlyInAnyOrder("garage/cmd open at noon", "garage/other alice's own");
    }

    @Test
    void aPluginThatThrowsDenies() {
        start(ADMIN + "user alice\ntopic readwrite boom/#\ntopic readwrite home/alice/#\n", "plugin " + throwingJar);
        RawMqttClient observer = login("observer", "admin");
        observer.subscribe("boom/#", 1);
        observer.subscribe("home/#", 1);
        RawMqttClient alice = login("alice-1", "alice");

        alice.publish("boom/x", "the ACL allows it", 1, false);
        alice.publish("home/alice/x", "the plugin abstains", 1, false);
        observer.barrier();

        assertThat(observer.publishes())
                .extracting(p -> p.topic() + " " + p.payload())
                .containsExactly("home/alice/x the plugin abstains");
        try (RawMqttClient boom = RawMqttClient.open(broker.port())) {
            int connack = boom.connect(
                    4,
                    "boom-1",
                    Optional.of("boom"),
                    Optional.of(password("boom").getBytes(UTF_8)),
                    null);
            assertThat(connack).as("CONNACK for boom, whose password is right").isEqualTo(5);
        }
    }

    /**
     * The SPI's {@code Access.SUBSCRIBE}: a plugin's deny is a refused subscription (SUBACK 0x80 in MQTT 3.1.1, 0x87 not
     * authorized in MQTT 5).
     */
    @Test
    void aPluginCanRefuseASubscription() {
        start(ADMIN + "user alice\ntopic readwrite nosub/#\ntopic readwrite other/#\n", "plugin " + noSubscribeJar);
        RawMqttClient alice = login("alice-1", "alice");

        assertThat(alice.subscribe("nosub/x", 1)).as("SUBACK for nosub/x").isEqualTo(0x80);
        assertThat(alice.subscribe("other/x", 1)).as("SUBACK for other/x").isEqualTo(1);

        RawMqttClient alice5 = RawMqttClient.open(broker.port());
        clients.add(alice5);
        assertThat(alice5.connect(
                        5,
                        "alice-5",
                        Optional.of("alice"),
                        Optional.of(password("alice").getBytes(UTF_8)),
                        null))
                .as("MQTT 5 CONNACK")
                .isZero();
        assertThat(alice5.subscribe("nosub/x", 1))
                .as("MQTT 5 SUBACK for nosub/x")
                .isEqualTo(0x87);
        assertThat(alice5.subscribe("other/x", 1))
                .as("MQTT 5 SUBACK for other/x")
                .isEqualTo(1);
    }

    /**
     * A plugin reads a message's MQTT 5 user properties (read-only) and denies by them: HiveMQ's MQTT 5 client gets
     * PUBACK 0x87 for door=force and keeps its connection, 0x00 for door=open or none; an MQTT 3.1.1 publish shows the
     * plugin no properties. A will's user properties are checked the same way.
     */
    @Test
    void aPluginCanDenyAnMqtt5PublishByItsUserProperties() {
        start(ADMIN + "user alice\ntopic readwrite garage/#\n", "plugin " + noForceJar);
        RawMqttClient observer = login("observer", "admin");
        observer.subscribe("garage/#", 1);
        Mqtt5BlockingClient alice = mqtt5("alice-5", null);

        assertThat(publish5(alice, "forced", "door", "force"))
                .as("PUBACK for door=force")
                .isEqualTo(0x87);
        assertThat(publish5(alice, "opened", "door", "open"))
                .as("PUBACK for door=open")
                .isEqualTo(0x00);
        assertThat(publish5(alice, "plain", null, null))
                .as("PUBACK without properties")
                .isEqualTo(0x00);
        login("alice-3", "alice").publish("garage/cmd", "over 3.1.1", 1, false);
        alice.disconnect();

        // Wills: the denied one first; a new login with its client id runs after its session's end.
        endWithWill(mqtt5("alice-will", "force"));
        mqtt5("alice-will", null).disconnect();
        observer.barrier();
        endWithWill(mqtt5("alice-will-2", "open"));
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.received("garage/will", "will door=open"));
        observer.barrier();

        assertThat(observer.publishes())
                .extracting(p -> p.topic() + " " + p.payload())
                .containsExactly(
                        "garage/cmd opened", "garage/cmd plain", "garage/cmd over 3.1.1", "garage/will will door=open");
    }

    /** An MQTT 5 client logged in as alice, with a will on garage/will carrying door=WILLDOOR when that is not null. */
    private Mqtt5BlockingClient mqtt5(String clientId, @Nullable String willDoor) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        var connect = client.connectWith()
                .simpleAuth()
                .username("alice")
                .password(password("alice").getBytes(UTF_8))
                .applySimpleAuth();
        if (willDoor != null) {
            connect = connect.willPublish()
                    .topic("garage/will")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("will door=" + willDoor).getBytes(UTF_8))
                    .userProperties()
                    .add("door", willDoor)
                    .applyUserProperties()
                    .applyWillPublish();
        }
        connect.send();
        return client;
    }

    /** DISCONNECT 0x04: the session ends and the broker publishes the will. */
    private static void endWithWill(Mqtt5BlockingClient client) {
        client.disconnectWith()
                .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .send();
    }

    /** Publishes to garage/cmd at QoS 1 with one user property (or none) and returns the PUBACK's reason code. */
    private static int publish5(
            Mqtt5BlockingClient client, String payload, @Nullable String key, @Nullable String value) {
        var publish = client.publishWith()
                .topic("garage/cmd")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(UTF_8));
        if (key != null && value != null) {
            publish = publish.userProperties().add(key, value).applyUserProperties();
        }
        try {
            Mqtt5PublishResult result = publish.send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result)
                    .getPubAck()
                    .getReasonCode()
                    .getCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }

    @Test
    void aPluginThatThrowsFromInitStopsTheStartNamingTheJar() {
        Path conf = conf(ADMIN, "plugin " + initFailsJar);

        assertThatThrownBy(() -> Drawbridge.start(conf))
                .hasMessageContaining(initFailsJar.toString())
                .hasMessageContaining("init exploded");
    }

    @Test
    void aJarWithoutAServiceEntryStopsTheStartNamingTheJar() {
        Path conf = conf(ADMIN, "plugin " + garageJarWithoutServices);

        assertThatThrownBy(() -> Drawbridge.start(conf))
                .hasMessageContaining(garageJarWithoutServices.toString())
                .hasMessageContaining("META-INF/services")
                .hasMessageContaining("found 0");
    }

    @Test
    void anUnknownPluginOptionStopsTheStartNamingIt() {
        Path conf = conf(ADMIN, "plugin " + garageJar, "plugin_opt_colour red");

        assertThatThrownBy(() -> Drawbridge.start(conf))
                .hasMessageContaining(garageJar.toString())
                .hasMessageContaining("plugin_opt_colour: unknown option");
    }

    /** The example's folder, found from the broker module's folder (Maven's {@code basedir}). */
    private static Path exampleProject() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path example = base.resolve("../acl/examples/garage-hours").normalize();
        assertThat(example.resolve("src/main/java"))
                .as("the example plugin's sources")
                .isDirectory();
        return example;
    }

    private static String[] garage(String now) {
        return new String[] {
            "plugin " + garageJar,
            "plugin_opt_user garage-controller",
            "plugin_opt_topic garage/cmd",
            "plugin_opt_from 07:00",
            "plugin_opt_to 23:00",
            "plugin_opt_zone Europe/Berlin",
            "plugin_opt_now " + now
        };
    }

    private void start(String acl, String... pluginLines) {
        try {
            broker = Drawbridge.start(conf(acl, pluginLines));
        } catch (Exception e) {
            throw new AssertionError("broker did not start: " + e.getMessage(), e);
        }
    }

    private Path conf(String acl, String... pluginLines) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String user : List.of("admin", "alice", "garage-controller", "boom")) {
            users.put(user, password(user));
        }
        Path passwd = TestBrokers.passwordFile(dir.resolve("passwd"), users);
        Path aclFile = TestBrokers.write(dir.resolve("acl"), acl.getBytes(UTF_8));
        List<String> lines = new ArrayList<>(List.of(
                "listener 0 127.0.0.1", "allow_anonymous false", "password_file " + passwd, "acl_file " + aclFile));
        lines.addAll(List.of(pluginLines));
        try {
            return Files.write(dir.resolve("mosquitto.conf"), lines, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RawMqttClient login(String clientId, String user) {
        RawMqttClient client =
                RawMqttClient.connected(broker.port(), 4, clientId, Optional.of(user), Optional.of(password(user)));
        clients.add(client);
        return client;
    }

    private static String password(String user) {
        return user + "-pw";
    }
}
