package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * A plugin's life across reloads, and its deadline, in a real broker, judged only by what clients receive and what
 * the broker logs (so that it holds however the broker runs the checks): a reload whose new instance fails keeps the
 * old one working; a reload whose new instance starts closes the old one after that start; a check slower than 1 s is
 * a deny, logged as WARN with the plugin's name and jar.
 */
class PluginReloadIT {

    /**
     * Denies PUBLISH under the prefix its rules file holds (option {@code rules}) and abstains on everything else; its
     * {@code init} fails when the file says {@code fail}. Appends {@code init PREFIX} and {@code close PREFIX} to its
     * events file (option {@code events}), so the test sees which instance started and ended in which order.
     */
    private static final String FILE_RULES = """
            package test.plugins;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            import java.util.Map;

            public final class FileRulesPlugin implements AclPlugin {
                private String denied = "";
                private Path events;
                @Override public String name() { return "file-rules"; }
                @Override public void init(Map<String, String> options) {
                    events = Path.of(options.get("events"));
                    try {
                        String text = Files.readString(Path.of(options.get("rules"))).strip();
                        if (text.equals("fail")) {
                            throw new IllegalStateException("the rules file says fail");
                        }
                        denied = text;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    append("init " + denied);
                }
                @Override public void close() { append("close " + denied); }
                @Override public Authorizer authorizer() {
                    return request -> request.access() == Access.PUBLISH && request.topic().startsWith(denied)
                            ? Decision.deny("under " + denied)
                            : Decision.abstain();
                }
                private void append(String line) {
                    try {
                        Files.writeString(events, line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            """;

    /** Takes 1.5 s over a PUBLISH under "slow/" and then allows it; abstains at once on everything else. */
    private static final String SLOW = """
            package test.plugins;

            import dev.drawbridge.acl.spi.Access;
            import dev.drawbridge.acl.spi.AclPlugin;
            import dev.drawbridge.acl.spi.Authorizer;
            import dev.drawbridge.acl.spi.Decision;
            import java.util.Map;

            public final class SlowPlugin implements AclPlugin {
                @Override public String name() { return "slow"; }
                @Override public void init(Map<String, String> options) {}
                @Override public Authorizer authorizer() {
                    return request -> {
                        if (request.access() != Access.PUBLISH || !request.topic().startsWith("slow/")) {
                            return Decision.abstain();
                        }
                        try {
                            Thread.sleep(1500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Decision.allow("slowly");
                    };
                }
            }
            """;

    private static Path fileRulesJar;
    private static Path slowJar;

    @TempDir
    Path dir;

    private @Nullable Drawbridge broker;
    private final List<RawMqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void buildJars(@TempDir Path work) {
        Path classes = PluginJars.compile(
                Map.of("test.plugins.FileRulesPlugin", FILE_RULES, "test.plugins.SlowPlugin", SLOW),
                work.resolve("classes"));
        fileRulesJar = PluginJars.jar(
                classes, work.resolve("file-rules.jar"), List.of("test.plugins.FileRulesPlugin"), List.of());
        slowJar = PluginJars.jar(classes, work.resolve("slow.jar"), List.of("test.plugins.SlowPlugin"), List.of());
    }

    @AfterEach
    void stop() {
        clients.forEach(RawMqttClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aReloadWhoseNewInstanceFailsKeepsTheOldOneWorking() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules"), "a/");
        Path events = dir.resolve("events");
        Drawbridge running =
                start("plugin " + fileRulesJar, "plugin_opt_rules " + rules, "plugin_opt_events " + events);
        Files.writeString(rules, "fail");

        try (LogCapture log = LogCapture.of("dev.drawbridge", Level.INFO)) {
            running.reload();
            assertThat(log.messages())
                    .as("the failed start is logged, naming the jar")
                    .anyMatch(m -> m.contains(fileRulesJar.toString()) && m.contains("the rules file says fail"));
        }
        RawMqttClient observer = login("observer");
        observer.subscribe("#", 1);
        RawMqttClient alice = login("alice");
        alice.publish("a/x", "denied by the old instance", 1, false);
        alice.publish("b/x", "allowed", 1, false);
        observer.barrier();

        assertThat(observer.publishes())
                .extracting(p -> p.topic() + " " + p.payload())
                .containsExactly("b/x allowed");
        assertThat(Files.readAllLines(events)).as("no instance was closed").containsExactly("init a/");
    }

    @Test
    void aReloadClosesTheOldInstanceOnceTheNewOneHasStarted() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules"), "a/");
        Path events = dir.resolve("events");
        Drawbridge running =
                start("plugin " + fileRulesJar, "plugin_opt_rules " + rules, "plugin_opt_events " + events);
        Files.writeString(rules, "b/");

        running.reload();

        assertThat(Files.readAllLines(events)).containsExactly("init a/", "init b/", "close a/");
        RawMqttClient observer = login("observer");
        observer.subscribe("#", 1);
        RawMqttClient alice = login("alice");
        alice.publish("b/x", "denied by the new instance", 1, false);
        alice.publish("a/x", "allowed now", 1, false);
        observer.barrier();
        assertThat(observer.publishes())
                .extracting(p -> p.topic() + " " + p.payload())
                .containsExactly("a/x allowed now");
    }

    @Test
    void aCheckSlowerThanOneSecondDeniesAndIsLoggedWithThePluginsNameAndJar() throws Exception {
        start("plugin " + slowJar);
        RawMqttClient observer = login("observer");
        observer.subscribe("#", 1);
        RawMqttClient alice = login("alice");

        try (LogCapture log = LogCapture.of("dev.drawbridge", Level.WARN)) {
            alice.publish("slow/x", "the plugin would allow it, too late", 1, false);
            alice.publish("fast/x", "after it", 1, false);
            observer.barrier();

            // The slow PUBLISH was judged before the one behind it: had it been allowed, it would be here first.
            assertThat(observer.publishes())
                    .extracting(p -> p.topic() + " " + p.payload())
                    .containsExactly("fast/x after it");
            assertThat(log.messages())
                    .as("a WARN naming the plugin and its jar")
                    .anyMatch(m -> m.contains("slow") && m.contains(slowJar.toString()));
        }
    }

    /** Anonymous clients, whom the ACL file lets use every topic: what is denied, the plugin denied. */
    private Drawbridge start(String... pluginLines) throws Exception {
        Path acl = TestBrokers.write(dir.resolve("acl"), "topic readwrite #\n".getBytes(UTF_8));
        List<String> lines =
                new ArrayList<>(List.of("listener 0 127.0.0.1", "allow_anonymous true", "acl_file " + acl));
        lines.addAll(List.of(pluginLines));
        Drawbridge started = Drawbridge.start(Files.write(dir.resolve("mosquitto.conf"), lines, UTF_8));
        broker = started;
        return started;
    }

    private RawMqttClient login(String clientId) {
        RawMqttClient client = RawMqttClient.connected(
                Objects.requireNonNull(broker).port(), 4, clientId, Optional.empty(), Optional.empty());
        clients.add(client);
        return client;
    }
}
