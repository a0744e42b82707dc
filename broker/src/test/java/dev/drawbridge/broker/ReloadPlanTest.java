package dev.drawbridge.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.conf.ParsedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a reread file changes that needs a restart: one row per option, the message naming its line. */
class ReloadPlanTest {

    private static final String BASE = "listener 1883 127.0.0.1\nallow_anonymous true\n";

    @TempDir
    Path dir;

    /** Before, after, and the message after {@code FILE:}; {@code DIR} stands for the test's directory. */
    static Stream<Arguments> restarts() {
        return Stream.of(
                Arguments.of(
                        "port",
                        BASE,
                        "listener 1884 127.0.0.1\nallow_anonymous true\n",
                        "1: listener 127.0.0.1:1883: port 1884 (was 1883) needs a restart; not applied, the listener"
                                + " keeps serving as it was"),
                Arguments.of(
                        "address",
                        BASE,
                        "listener 1883 127.0.0.2\nallow_anonymous true\n",
                        "1: listener 127.0.0.1:1883: address 127.0.0.2 (was 127.0.0.1) needs a restart; not applied,"
                                + " the listener keeps serving as it was"),
                Arguments.of(
                        "protocol",
                        BASE,
                        BASE + "protocol websockets\n",
                        "1: listener 127.0.0.1:1883: protocol WEBSOCKETS (was MQTT) needs a restart; not applied, the"
                                + " listener keeps serving as it was"),
                Arguments.of(
                        "listener added",
                        BASE,
                        BASE + "listener 1884 127.0.0.1\n",
                        "3: listener 127.0.0.1:1884 added: needs a restart; not applied"),
                Arguments.of(
                        "listener removed",
                        BASE + "listener 1884 127.0.0.1\n",
                        BASE,
                        "3: listener 127.0.0.1:1884 removed: needs a restart; not applied, it keeps serving with its"
                                + " settings"),
                Arguments.of(
                        "persistence",
                        BASE,
                        BASE + "persistence true\n",
                        "3: persistence true (was false) needs a restart; not applied"),
                Arguments.of(
                        "persistence_location",
                        BASE + "persistence_location DIR/a\n",
                        BASE + "persistence_location DIR/b\n",
                        "3: persistence_location DIR/b (was DIR/a) needs a restart; not applied"),
                Arguments.of(
                        "persistence_mode",
                        BASE,
                        BASE + "persistence_mode autosave\n",
                        "3: persistence_mode autosave (was durable) needs a restart; not applied"),
                Arguments.of(
                        "autosave_interval",
                        BASE,
                        BASE + "autosave_interval 60\n",
                        "3: autosave_interval 60 (was 1800) needs a restart; not applied"),
                Arguments.of(
                        "pid_file",
                        BASE,
                        BASE + "pid_file DIR/broker.pid\n",
                        "3: pid_file DIR/broker.pid (was unset) needs a restart; not applied"),
                Arguments.of(
                        "sys_interval",
                        BASE,
                        BASE + "sys_interval 20\n",
                        "3: sys_interval 20 (was 10) needs a restart; not applied"),
                Arguments.of(
                        "mdns", BASE, BASE + "mdns true\n", "3: mdns true (was false) needs a restart; not applied"),
                Arguments.of(
                        "max_pending_connections_per_address",
                        BASE,
                        BASE + "max_pending_connections_per_address 4\n",
                        "3: max_pending_connections_per_address 4 (was 16) needs a restart; not applied"),
                Arguments.of(
                        "global_max_connections",
                        BASE,
                        BASE + "global_max_connections 100\n",
                        "3: global_max_connections 100 (was -1) needs a restart; not applied"),
                Arguments.of(
                        "upgrade_outgoing_qos",
                        BASE,
                        BASE + "upgrade_outgoing_qos true\n",
                        "3: upgrade_outgoing_qos true (was false) needs a restart; not applied"),
                Arguments.of(
                        "check_retain_source",
                        BASE,
                        BASE + "check_retain_source true\n",
                        "3: check_retain_source true (was false) needs a restart; not applied"),
                // Mosquitto 2.0 skips bridge options on a reload too.
                Arguments.of(
                        "bridge added",
                        BASE,
                        BASE + "connection upstream\naddress 10.0.0.2\ntopic #\n",
                        "3: connection: bridges changed: needs a restart; not applied"),
                Arguments.of(
                        "console added",
                        BASE,
                        BASE + "listener 8080 127.0.0.1\nprotocol http_api\nconsole_users admin\n",
                        "5: console_users: the http_api listeners changed: needs a restart; not applied"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restarts")
    void aChangeThatNeedsARestartIsNamedWithItsLineAndKeepsItsRunningValue(
            String option, String before, String after, String message) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        ParsedConfig running = parse(before);
        ReloadPlan plan = ReloadPlan.of(running.config(), running.origins(), parse(after));

        assertThat(plan.needsRestart()).containsExactly(conf() + ":" + message.replace("DIR", dir.toString()));
        assertThat(plan.effective().listeners()).isEqualTo(running.config().listeners());
        assertThat(plan.effective().persistence()).isEqualTo(running.config().persistence());
        assertThat(plan.effective().pidFile()).isEqualTo(running.config().pidFile());
        assertThat(plan.effective().sysInterval()).isEqualTo(running.config().sysInterval());
        assertThat(plan.effective().mdns()).isEqualTo(running.config().mdns());
        assertThat(plan.effective().clientLimits()).isEqualTo(running.config().clientLimits());
        assertThat(plan.effective().delivery()).isEqualTo(running.config().delivery());
        assertThat(plan.effective().bridges()).isEqualTo(running.config().bridges());
        assertThat(plan.effective().consoles()).isEqualTo(running.config().consoles());
    }

    @Test
    void whatAReloadAppliesNeedsNoRestart() throws Exception {
        ParsedConfig running = parse(BASE);
        ParsedConfig reread = parse("listener 1883 127.0.0.1\nallow_anonymous false\nmax_inflight_messages 5\n"
                + "max_keepalive 30\nretain_available false\nmax_packet_size 5000\nlog_dest stdout\n"
                + "persistent_client_expiration 2h\nmax_queued_messages 7\n");

        ReloadPlan plan = ReloadPlan.of(running.config(), running.origins(), reread);

        assertThat(plan.needsRestart()).isEmpty();
        assertThat(plan.effective().listeners()).isEqualTo(reread.config().listeners());
        assertThat(plan.effective().maxInflightMessages()).isEqualTo(5);
        assertThat(plan.effective().maxQueuedMessages()).isEqualTo(7);
        assertThat(plan.effective().maxKeepalive()).isEqualTo(30);
        assertThat(plan.effective().retainAvailable()).isFalse();
        assertThat(plan.effective().maxPacketSize()).isEqualTo(5000);
        assertThat(plan.effective().log()).isEqualTo(reread.config().log());
        assertThat(plan.effective().persistence().clientExpiration())
                .isEqualTo(reread.config().persistence().clientExpiration());
    }

    private Path conf() {
        return dir.resolve("mosquitto.conf");
    }

    private ParsedConfig parse(String text) throws Exception {
        Files.writeString(conf(), text.replace("DIR", dir.toString()), UTF_8);
        return ConfigParser.parseWithOrigins(conf());
    }
}
