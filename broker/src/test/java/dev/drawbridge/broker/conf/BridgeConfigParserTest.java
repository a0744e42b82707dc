package dev.drawbridge.broker.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drawbridge.broker.bridge.BridgeConfig;
import dev.drawbridge.broker.bridge.BridgeConfig.Address;
import dev.drawbridge.broker.bridge.BridgeConfig.Credentials;
import dev.drawbridge.broker.bridge.BridgeConfig.ProtocolVersion;
import dev.drawbridge.broker.bridge.BridgeConfig.Restart;
import dev.drawbridge.broker.bridge.BridgeConfig.StartType;
import dev.drawbridge.broker.bridge.TopicMapping;
import dev.drawbridge.broker.bridge.TopicMapping.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code connection} blocks read by {@link ConfigParser} as Mosquitto 2.0.11's {@code src/conf.c} reads them, with
 * configurations of the kinds seen in the wild. Config text may say {@code {dir}} for the test's temporary directory
 * (with {@code ca.pem}, {@code client.pem}, {@code client.key} and {@code certs/}); problems may say {@code {conf}}.
 */
class BridgeConfigParserTest {

    @TempDir
    Path dir;

    @BeforeEach
    void makeReferencedFiles() throws IOException {
        for (String file : List.of("ca.pem", "client.pem", "client.key")) {
            Files.writeString(dir.resolve(file), "x\n");
        }
        Files.createDirectory(dir.resolve("certs"));
    }

    @Test
    void aMinimalBridgeHasMosquittosDefaults() throws Exception {
        BrokerConfig config = parse("listener 1883\nconnection upstream\naddress broker.example\ntopic #\n");

        BridgeConfig b = only(config);
        assertThat(b.name()).isEqualTo("upstream");
        assertThat(b.where()).isEqualTo(expand("{conf}:2"));
        assertThat(b.addresses()).containsExactly(new Address("broker.example", 1883));
        assertThat(b.topics()).containsExactly(TopicMapping.out("#"));
        assertThat(b.roundRobin()).isFalse();
        assertThat(b.cleanSession()).isFalse();
        assertThat(b.localCleanSession()).isEmpty();
        assertThat(b.tryPrivate()).isTrue();
        assertThat(b.notifications()).isTrue();
        assertThat(b.notificationsLocalOnly()).isFalse();
        assertThat(b.keepalive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.restart()).isEqualTo(new Restart(Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30))));
        assertThat(b.protocolVersion()).isEqualTo(ProtocolVersion.MQTT_3_1_1);
        assertThat(b.tls()).isEmpty();
        assertThat(b.startType()).isEqualTo(StartType.AUTOMATIC);
        assertThat(b.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.threshold()).isEqualTo(10);
        assertThat(b.remote()).isEqualTo(Credentials.NONE);
        assertThat(b.local()).isEqualTo(Credentials.NONE);
        // conf.c's config__check and bridge.c's notification topic.
        assertThat(b.remoteClientId("pi")).isEqualTo("pi.upstream");
        assertThat(b.localClientId("pi")).isEqualTo("local.pi.upstream");
        assertThat(b.notificationTopic("pi")).isEqualTo("$SYS/broker/connection/pi.upstream/state");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void anOpenWbStyleBridgeBringsTheWallboxTopicsIn() throws Exception {
        // As openWB's documentation has users bridge its broker into their own.
        BrokerConfig config = parse("""
                listener 1883
                allow_anonymous true
                # openWB
                connection openwb
                address 192.168.178.50:1883
                bridge_protocol_version mqttv311
                try_private true
                cleansession true
                notifications false
                remote_clientid openwb-bridge
                topic openWB/# in 0
                topic openWB/set/# out 0
                """);

        BridgeConfig b = only(config);
        assertThat(b.addresses()).containsExactly(new Address("192.168.178.50", 1883));
        assertThat(b.cleanSession()).isTrue();
        assertThat(b.notifications()).isFalse();
        assertThat(b.remoteClientId("pi")).isEqualTo("openwb-bridge");
        assertThat(b.localClientId("pi")).isEqualTo("local.openwb-bridge");
        assertThat(b.topics())
                .extracting(TopicMapping::localFilter, TopicMapping::direction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("openWB/#", Direction.IN),
                        org.assertj.core.groups.Tuple.tuple("openWB/set/#", Direction.OUT));
    }

    @Test
    void aHomeAssistantAddOnStyleBridgeInAnIncludedFileIsRead() throws Exception {
        // The Mosquitto add-on reads the user's files from a directory, as include_dir does.
        Files.createDirectory(dir.resolve("share"));
        Files.writeString(dir.resolve("share/bridge.conf"), """
                connection second-house
                address 10.8.0.2:1883
                remote_username house1
                remote_password correct horse battery staple
                local_username bridge
                local_password local secret
                topic # both 1 house2/ house1/
                topic "" in 0 house2/door/state house1/door/state
                """);
        BrokerConfig config = parse(expand("listener 1883\ninclude_dir {dir}/share\n"));

        BridgeConfig b = only(config);
        assertThat(b.where()).isEqualTo(expand("{dir}/share/bridge.conf:1"));
        assertThat(b.remote())
                .isEqualTo(new Credentials(Optional.of("house1"), Optional.of("correct horse battery staple")));
        assertThat(b.local()).isEqualTo(new Credentials(Optional.of("bridge"), Optional.of("local secret")));
        assertThat(b.topics().get(0))
                .isEqualTo(new TopicMapping(
                        Optional.of("#"), Direction.BOTH, 1, Optional.of("house2/"), Optional.of("house1/")));
        assertThat(b.topics().get(1).pattern()).isEmpty();
        assertThat(b.topics().get(1).remoteFilter()).isEqualTo("house1/door/state");
        // Passwords never reach a log through toString.
        assertThat(b.toString())
                .doesNotContain("horse")
                .doesNotContain("local secret")
                .contains("house1");
        assertThat(config.toString()).doesNotContain("horse").doesNotContain("local secret");
    }

    @Test
    void aTlsBridgeToACloudBrokerTakesEveryTlsAndTimingOption() throws Exception {
        BrokerConfig config = parse("""
                listener 1883
                connection cloud
                address a1.iot.example.com:8883 a2.iot.example.com:8883 [::1]:8884 ::1:8885
                round_robin true
                bridge_protocol_version mqttv50
                bridge_cafile {dir}/ca.pem
                bridge_capath {dir}/certs
                bridge_certfile {dir}/client.pem
                bridge_keyfile {dir}/client.key
                bridge_tls_version tlsv1.3
                bridge_alpn x-amzn-mqtt-ca
                bridge_insecure false
                remote_clientid garage-house
                local_clientid bridge-cloud
                notification_topic house/bridge/cloud
                notifications_local_only true
                keepalive_interval 30
                restart_timeout 10 120
                start_type lazy
                idle_timeout 300
                threshold 5
                local_cleansession true
                topic house/# out 1 "" garage/
                """);

        BridgeConfig b = only(config);
        assertThat(b.addresses())
                .containsExactly(
                        new Address("a1.iot.example.com", 8883),
                        new Address("a2.iot.example.com", 8883),
                        new Address("[::1]", 8884),
                        new Address("::1", 8885));
        assertThat(b.roundRobin()).isTrue();
        assertThat(b.protocolVersion()).isEqualTo(ProtocolVersion.MQTT_5);
        assertThat(b.tls())
                .contains(new BridgeConfig.Tls(
                        Optional.of(dir.resolve("ca.pem")),
                        Optional.of(dir.resolve("certs")),
                        Optional.of(dir.resolve("client.pem")),
                        Optional.of(dir.resolve("client.key")),
                        false,
                        Optional.of("TLSv1.3"),
                        Optional.of("x-amzn-mqtt-ca")));
        assertThat(b.localClientId("pi")).isEqualTo("bridge-cloud");
        assertThat(b.notificationTopic("pi")).isEqualTo("house/bridge/cloud");
        assertThat(b.notificationsLocalOnly()).isTrue();
        assertThat(b.keepalive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.restart()).isEqualTo(new Restart(Duration.ofSeconds(10), Optional.of(Duration.ofSeconds(120))));
        assertThat(b.startType()).isEqualTo(StartType.LAZY);
        assertThat(b.idleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(b.threshold()).isEqualTo(5);
        assertThat(b.localCleanSession()).contains(true);
        assertThat(b.topics().get(0).remoteFilter()).isEqualTo("garage/house/#");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void severalConnectionBlocksEachTakeTheOptionsAfterThemAsInMosquitto() throws Exception {
        // conf.c never ends a bridge at a listener line: a bridge option after one still belongs to the last
        // connection, and listener options after a connection still belong to the last listener.
        BrokerConfig config = parse("""
                connection one
                address one.example
                listener 1883
                topic a/# out 2
                max_connections 5
                connection two
                address two.example:1884
                topic b/# in 1
                restart_timeout 20
                """);

        assertThat(config.bridges()).extracting(BridgeConfig::name).containsExactly("one", "two");
        assertThat(config.bridges().get(0).topics())
                .extracting(TopicMapping::localFilter)
                .containsExactly("a/#");
        assertThat(config.bridges().get(1).topics())
                .extracting(TopicMapping::localFilter)
                .containsExactly("b/#");
        assertThat(config.bridges().get(0).restart()).isEqualTo(Restart.DEFAULT);
        assertThat(config.bridges().get(1).restart()).isEqualTo(new Restart(Duration.ofSeconds(20), Optional.empty()));
        assertThat(config.listeners().get(0).maxConnections()).isEqualTo(5);
    }

    @Test
    void bridgeInsecureTrueIsReadWithALoudWarning() throws Exception {
        BrokerConfig config =
                parse("listener 1883\nconnection c\naddress h:8883\nbridge_cafile {dir}/ca.pem\nbridge_insecure true\n"
                        + "topic #\n");

        assertThat(only(config).tls().orElseThrow().insecure()).isTrue();
        assertThat(config.warnings())
                .containsExactly(expand("{conf}:5: bridge_insecure true: connection c does not check that the remote"
                        + " broker's certificate names its host; anyone in the path can pose as it"));
    }

    static Stream<Arguments> badBridges() {
        String head = "listener 1883\nconnection c\naddress h\n";
        return Stream.of(
                bad(
                        "connection without a name",
                        "connection",
                        "{conf}:1: connection: expected a bridge name without" + " spaces, found nothing"),
                bad(
                        "connection name with a space",
                        "connection a b\naddress h\ntopic #",
                        "{conf}:1: connection: expected a bridge name without spaces, found 'a b'"),
                bad(
                        "duplicate connection name",
                        head + "topic #\nconnection c\naddress h2\ntopic #",
                        "{conf}:5: connection: bridge name 'c' is already used at {conf}:2"),
                bad(
                        "a second address line",
                        head + "address h2\ntopic #",
                        "{conf}:4: address: connection c already has its addresses at {conf}:3; list them all on one"
                                + " line"),
                bad(
                        "port 0",
                        "connection c\naddress h:0\ntopic #",
                        "{conf}:2: address: expected HOST[:PORT] with a port 1-65535 (an IPv6 address needs the"
                                + " port), found 'h:0'"),
                bad(
                        "port not a number",
                        "connection c\naddress h:mqtt\ntopic #",
                        "{conf}:2: address: expected HOST[:PORT] with a port 1-65535 (an IPv6 address needs the"
                                + " port), found 'h:mqtt'"),
                bad(
                        "address without a value",
                        "connection c\naddress\ntopic #",
                        "{conf}:2: address: expected HOST[:PORT] ..., found nothing"),
                bad(
                        "no address",
                        "connection c\ntopic #",
                        "{conf}:1: connection c: no address; expected 'address HOST[:PORT]'"),
                bad(
                        "no topic",
                        head,
                        "{conf}:2: connection c: no topic; expected at least one 'topic PATTERN ...'" + " line"),
                bad(
                        "topic direction",
                        head + "topic # sideways 0",
                        "{conf}:4: topic: direction: expected out, in or both, found 'sideways'"),
                bad("topic QoS 3", head + "topic # out 3", "{conf}:4: topic: QoS: expected 0, 1 or 2, found '3'"),
                bad("topic QoS a word", head + "topic # out x", "{conf}:4: topic: QoS: expected 0, 1 or 2, found 'x'"),
                bad(
                        "topic with too many words",
                        head + "topic # out 0 l/ r/ extra",
                        "{conf}:4: topic: expected PATTERN [[[out|in|both] QOS] LOCAL_PREFIX REMOTE_PREFIX], found"
                                + " '# out 0 l/ r/ extra'"),
                bad(
                        "topic \"\" without both prefixes",
                        head + "topic \"\" both 0 l/",
                        "{conf}:4: topic: the pattern \"\" needs both a local and a remote prefix (in '\"\" both 0"
                                + " l/')"),
                bad(
                        "topic prefix with a wildcard",
                        head + "topic # both 0 l/+/ r/",
                        "{conf}:4: topic: local prefix 'l/+/' must not contain + or # (in '# both 0 l/+/ r/')"),
                bad(
                        "keepalive_interval below 5 (Mosquitto raises it to 5)",
                        head + "topic #\nkeepalive_interval 4",
                        "{conf}:5: keepalive_interval: expected a number of seconds 5-65535, found '4'"),
                bad(
                        "keepalive_interval above 65535",
                        head + "topic #\nkeepalive_interval 65536",
                        "{conf}:5: keepalive_interval: expected a number of seconds 5-65535, found '65536'"),
                bad(
                        "idle_timeout 0 (Mosquitto raises it to 1)",
                        head + "topic #\nidle_timeout 0",
                        "{conf}:5: idle_timeout: expected a number of seconds >= 1, found '0'"),
                bad(
                        "threshold 0 (Mosquitto raises it to 1)",
                        head + "topic #\nthreshold 0",
                        "{conf}:5: threshold: expected a number of messages >= 1, found '0'"),
                bad(
                        "restart_timeout cap below base",
                        head + "topic #\nrestart_timeout 30 10",
                        "{conf}:5: restart_timeout: expected SECONDS (>= 1) or BASE CAP (1 <= BASE <= CAP), found"
                                + " '30 10'"),
                bad(
                        "restart_timeout a word",
                        head + "topic #\nrestart_timeout soon",
                        "{conf}:5: restart_timeout: expected SECONDS (>= 1) or BASE CAP (1 <= BASE <= CAP), found"
                                + " 'soon'"),
                bad(
                        "start_type manual",
                        head + "topic #\nstart_type manual",
                        "{conf}:5: start_type manual: not supported (nor by Mosquitto 2.0); expected automatic, lazy"
                                + " or once"),
                bad(
                        "start_type unknown",
                        head + "topic #\nstart_type eager",
                        "{conf}:5: start_type: expected automatic, lazy or once, found 'eager'"),
                bad(
                        "bridge_protocol_version mqttv5",
                        head + "topic #\nbridge_protocol_version mqttv5",
                        "{conf}:5: bridge_protocol_version: expected mqttv31, mqttv311 or mqttv50, found 'mqttv5'"),
                bad(
                        "bridge_tls_version below 1.2",
                        head + "topic #\nbridge_cafile {dir}/ca.pem\nbridge_tls_version tlsv1.1",
                        "{conf}:6: bridge_tls_version: expected tlsv1.3 or tlsv1.2 (nothing older is offered, RFC"
                                + " 8996), found 'tlsv1.1'"),
                bad(
                        "bridge_cafile missing",
                        head + "topic #\nbridge_cafile {dir}/nope.pem",
                        "{conf}:5: bridge_cafile: cannot read '{dir}/nope.pem': no such file or directory"),
                bad(
                        "a client certificate without a CA (Mosquitto would connect without TLS)",
                        head + "topic #\nbridge_certfile {dir}/client.pem\nbridge_keyfile {dir}/client.key",
                        "{conf}:5: bridge_certfile: connection c has no bridge_cafile or bridge_capath, without which"
                                + " it would not use TLS"),
                bad(
                        "bridge_insecure without a CA",
                        head + "topic #\nbridge_insecure false",
                        "{conf}:5: bridge_insecure: connection c has no bridge_cafile or bridge_capath, without which"
                                + " it would not use TLS"),
                bad(
                        "certfile without keyfile",
                        head + "topic #\nbridge_cafile {dir}/ca.pem\nbridge_certfile {dir}/client.pem",
                        "{conf}:2: connection c: bridge_certfile given without bridge_keyfile; a client certificate"
                                + " needs both"),
                bad(
                        "a second remote_clientid (Mosquitto: duplicate value)",
                        head + "topic #\nremote_clientid a\nclientid b",
                        "{conf}:6: clientid: connection c already has a value at {conf}:5"),
                bad(
                        "remote_password without remote_username",
                        head + "topic #\nremote_password secret",
                        "{conf}:2: connection c: remote_password given without remote_username"),
                bad(
                        "notification_topic with a wildcard",
                        head + "topic #\nnotification_topic state/#",
                        "{conf}:5: notification_topic: expected a topic name, found 'state/#': topic name must not"
                                + " contain '+' or '#', found \"state/#\""),
                bad(
                        "cleansession yes",
                        head + "topic #\ncleansession yes",
                        "{conf}:5: cleansession: expected true or false, found 'yes'"),
                bad(
                        "two bridges with one local client id",
                        head + "topic #\nlocal_clientid same\nconnection d\naddress h\ntopic #\nlocal_clientid same",
                        "{conf}:6: connection d: local client id 'same' is also that of connection c at {conf}:2; set"
                                + " local_clientid for one of them"),
                bad(
                        "a bridge option before any connection",
                        "listener 1883\ntry_private false",
                        "{conf}:2: try_private: a bridge option must follow a 'connection NAME' line in the same"
                                + " file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBridges")
    void aBadBridgeValueIsRefusedWithItsFileAndLine(String description, String config, List<String> expected)
            throws IOException {
        Path conf = write("mosquitto.conf", config);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        assertThat(e).as(description).isNotNull();
        assertThat(e.problems())
                .as(description)
                .containsExactlyElementsOf(expected.stream().map(this::expand).toList());
    }

    @Test
    void aBridgeOptionInAnIncludedFileNeedsAConnectionOfThatFile() throws Exception {
        // conf.c reads each included file with no current bridge, and the main file's bridge goes on after it.
        Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/a.conf"), "topic orphan/#\n");
        Path conf = write(
                "mosquitto.conf", "listener 1883\nconnection c\naddress h\ninclude_dir {dir}/conf.d\ntopic main/#\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(conf));

        assertThat(e.problems())
                .containsExactly(expand(
                        "{dir}/conf.d/a.conf:1: topic: a bridge option must follow a 'connection NAME' line in the"
                                + " same file"));
        // Positive control: without the orphan, the main file's topic belongs to its connection.
        Files.delete(dir.resolve("conf.d/a.conf"));
        assertThat(only(ConfigParser.parse(conf)).topics()).containsExactly(TopicMapping.out("main/#"));
    }

    private static BridgeConfig only(BrokerConfig config) {
        assertThat(config.bridges()).hasSize(1);
        return config.bridges().get(0);
    }

    private static Arguments bad(String description, String config, String... expected) {
        return Arguments.of(description, config, Arrays.asList(expected));
    }

    private BrokerConfig parse(String config) throws Exception {
        return ConfigParser.parse(write("mosquitto.conf", config));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, expand(text));
        return file;
    }

    private String expand(String text) {
        return text.replace("{conf}", dir.resolve("mosquitto.conf").toString()).replace("{dir}", dir.toString());
    }
}
