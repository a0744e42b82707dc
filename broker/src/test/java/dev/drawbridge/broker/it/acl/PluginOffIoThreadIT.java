package dev.drawbridge.broker.it.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "A slow plugin stalls only the client it is checking": the broker runs as {@code java -jar drawbridge.jar} with one
 * I/O thread ({@code -Ddrawbridge.ioThreads=1}) and a plugin, built here, that holds a login of user {@code slow}, and
 * a PUBLISH or SUBSCRIBE on {@code gated/…}, until the test deletes a file. While client A's check waits there, client
 * B logs in, subscribes and receives a message on that same thread; then A is released and gets its answers, in the
 * order of its packets. A plugin call that outlasts the deadline (1 s by default) is a deny, logged with the plugin's
 * name and jar.
 */
class PluginOffIoThreadIT {

    private static final Duration ANSWER = Duration.ofSeconds(10);

    /** Holds what {@link Gated} names until the file {@code gate} is gone; abstains on other logins, allows the rest. */
    private static final String GATED = """
            package test.plugins;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authenticator;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import java.io.IOException;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Map;

            public final class GatedPlugin implements AclPlugin {
                private Path gate = Path.of("gate");
                private Path entered = Path.of("entered");

                @Override public String name() { return "gated"; }

                @Override public void init(Map<String, String> options) {
                    gate = Path.of(options.get("gate"));
                    entered = Path.of(options.get("entered"));
                }

                @Override public Authenticator authenticator() {
                    return request -> {
                        String user = request.identity().effectiveUsername().orElse("");
                        if (user.equals("slow")) {
                            return waitAtGate("login");
                        }
                        if (user.equals("stuck")) {
                            return sleep();
                        }
                        return Decision.abstain();
                    };
                }

                @Override public Authorizer authorizer() {
                    return request -> request.access() != Access.READ && request.topic().startsWith("gated/")
                            ? waitAtGate(request.access().name())
                            : Decision.allow("not gated");
                }

                private Decision waitAtGate(String what) {
                    try {
                        Files.writeString(entered, what);
                        while (Files.exists(gate)) {
                            Thread.sleep(10);
                        }
                        return Decision.allow("released");
                    } catch (IOException e) {
                        return Decision.deny(e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Decision.deny("interrupted");
                    }
                }

                private static Decision sleep() {
                    try {
                        Thread.sleep(60_000);
                        return Decision.allow("far too late");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Decision.deny("interrupted");
                    }
                }
            }
            """;

    /** Which of client A's checks waits in the plugin. */
    enum Gated {
        LOGIN,
        /** The right to publish the CONNECT's will, checked before the CONNACK. */
        WILL,
        PUBLISH,
        SUBSCRIBE
    }

    private static Path jar;

    @TempDir
    Path dir;

    private @Nullable ClientProcess broker;
    private final List<RawMqttClient> clients = new ArrayList<>();
    private Path gate;
    private Path entered;

    @BeforeAll
    static void buildJar(@TempDir Path work) {
        Path classes = PluginJars.compile(Map.of("test.plugins.GatedPlugin", GATED), work);
        jar = PluginJars.jar(classes, work.resolve("gated.jar"), List.of("test.plugins.GatedPlugin"), List.of());
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RawMqttClient::close);
        if (gate != null) {
            Files.deleteIfExists(gate); // lets a check still waiting in the plugin end
        }
        if (broker != null) {
            broker.close();
        }
    }

    private int start(String... jvmFlags) throws Exception {
        int port = Ports.free();
        gate = dir.resolve("gate");
        entered = dir.resolve("entered");
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\nplugin " + jar + "\nplugin_opt_gate " + gate
                        + "\nplugin_opt_entered " + entered + "\n",
                StandardCharsets.UTF_8);
        broker = BrokerJar.start(dir, List.of(jvmFlags), "-c", conf.toString());
        return port;
    }

    private RawMqttClient open(int port) {
        RawMqttClient client = RawMqttClient.open(port);
        clients.add(client);
        return client;
    }

    private static byte[] concat(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<String> next(RawMqttClient client, int count) {
        List<String> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            packets.add(RawMqttClient.describe(client.next(ANSWER)));
        }
        return packets;
    }

    @ParameterizedTest
    @EnumSource(Gated.class)
    void whileOneClientsCheckWaitsInThePluginTheOnlyIoThreadServesAnotherAndTheAnswersKeepTheirOrder(Gated gated)
            throws Exception {
        int port = start("-Ddrawbridge.ioThreads=1", "-Ddrawbridge.pluginDeadlineMillis=60000");
        Files.writeString(gate, "closed");
        RawMqttClient a = open(port);
        Optional<byte[]> noPassword = Optional.empty();
        switch (gated) {
            case LOGIN ->
                // CONNECT, SUBSCRIBE and PINGREQ in one write: the two behind the CONNECT wait for its check.
                a.write(concat(
                        Packets.connect(4, "a", Optional.of("slow"), noPassword, null),
                        Packets.subscribe(1, "room/#", 1),
                        Packets.PINGREQ));
            case WILL ->
                a.write(concat(
                        Packets.connect(
                                4,
                                "a",
                                Optional.empty(),
                                noPassword,
                                new RawMqttClient.Will("gated/will", "gone", 0, false)),
                        Packets.PINGREQ));
            case PUBLISH -> {
                assertThat(a.connect(4, "a", Optional.empty(), noPassword, null))
                        .isZero();
                a.write(concat(
                        Packets.publish("gated/door", "OPEN".getBytes(StandardCharsets.UTF_8), 1, false, 1),
                        Packets.PINGREQ));
            }
            case SUBSCRIBE -> {
                assertThat(a.connect(4, "a", Optional.empty(), noPassword, null))
                        .isZero();
                a.write(concat(Packets.subscribe(1, "gated/#", 1), Packets.PINGREQ));
            }
        }
        await("A's check inside the plugin").atMost(ANSWER).until(() -> Files.exists(entered));

        RawMqttClient b = open(port);
        assertThat(b.connect(4, "b", Optional.empty(), noPassword, null)).isZero();
        assertThat(b.subscribe("#", 1)).isEqualTo(1);
        b.publish("room/light", "on", 1, false);
        await("B's own message").atMost(ANSWER).until(() -> b.received("room/light", "on"));
        assertThat(RawMqttClient.describe(a.next(Duration.ofMillis(300))))
                .as("an answer to A while its check waits in the plugin (B, on the same thread, was served)")
                .isEqualTo(RawMqttClient.describe(null));
        assertThat(a.isClosedByPeer()).isFalse();
        assertThat(Files.exists(gate)).isTrue();

        Files.delete(gate);
        List<String> expected = switch (gated) {
            case LOGIN ->
                List.of(
                        RawMqttClient.describe(Packets.connack(0)),
                        RawMqttClient.describe(subAck(1, 1)),
                        RawMqttClient.describe(Packets.PINGRESP));
            case WILL -> List.of(RawMqttClient.describe(Packets.connack(0)), RawMqttClient.describe(Packets.PINGRESP));
            case PUBLISH ->
                List.of(
                        RawMqttClient.describe(Packets.ack(RawMqttClient.PUBACK, 1)),
                        RawMqttClient.describe(Packets.PINGRESP));
            case SUBSCRIBE -> List.of(RawMqttClient.describe(subAck(1, 1)), RawMqttClient.describe(Packets.PINGRESP));
        };
        assertThat(next(a, expected.size())).as("A's answers once released").containsExactlyElementsOf(expected);
        if (gated == Gated.PUBLISH) {
            await("A's message, let through").atMost(ANSWER).until(() -> b.received("gated/door", "OPEN"));
        }
        if (gated == Gated.WILL) {
            a.close(); // without DISCONNECT: the will the plugin let through is published
            await("A's will").atMost(ANSWER).until(() -> b.received("gated/will", "gone"));
        }
    }

    @Test
    void aLoginStuckInThePluginBeyondTheDeadlineIsRefusedAndLoggedWithThePluginsNameAndJar() throws Exception {
        int port = start("-Ddrawbridge.ioThreads=1");
        RawMqttClient stuck = open(port);

        assertThat(stuck.connect(4, "stuck-1", Optional.of("stuck"), Optional.empty(), null))
                .as("CONNACK return code")
                .isEqualTo(5);
        ClientProcess running = Objects.requireNonNull(broker, "started");
        assertThat(running.awaitLine(
                        line -> line.contains("Plugin gated (" + jar + ") took longer than 1000 ms; denying."), ANSWER))
                .isNotEmpty();
        // Control: a login the plugin does not hold is let in.
        RawMqttClient other = open(port);
        assertThat(other.connect(4, "other", Optional.empty(), Optional.empty(), null))
                .isZero();
    }

    /** SUBACK for one filter. */
    private static byte[] subAck(int packetId, int code) {
        return new byte[] {(byte) 0x90, 3, (byte) (packetId >> 8), (byte) packetId, (byte) code};
    }
}
