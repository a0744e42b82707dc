package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.awaitConnected;
import static dev.drawbridge.broker.it.bridge.BridgeSides.count;
import static dev.drawbridge.broker.it.bridge.BridgeSides.messages;
import static dev.drawbridge.broker.it.bridge.BridgeSides.mosquitto;
import static dev.drawbridge.broker.it.bridge.BridgeSides.publish;
import static dev.drawbridge.broker.it.bridge.BridgeSides.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drawbridge bridged to the real Mosquitto 2.0.11, with Debian's mosquitto_pub and mosquitto_sub on each side: topics
 * out, in and both, with local and remote prefixes, at each QoS and at MQTT 3.1, 3.1.1 and 5; retained messages both ways.
 */
class BridgeToMosquittoIT {

    private static final String STATE = "$SYS/broker/connection/dbtest/state";

    @TempDir
    Path dir;

    static Stream<Arguments> versionsAndQos() {
        return Stream.of("mqttv31", "mqttv311", "mqttv50")
                .flatMap(version -> Stream.of(0, 1, 2).map(qos -> Arguments.of(version, qos)));
    }

    private static List<String> bridge(int remotePort, String version, int qos) {
        return List.of(
                "connection dbtest",
                "address 127.0.0.1:" + remotePort,
                "remote_clientid dbtest",
                "bridge_protocol_version " + version,
                "restart_timeout 1",
                "topic sensors/# out " + qos + " house/ cloud/house/",
                "topic cmd/# in " + qos + " house/ cloud/house/",
                "topic shared/# both " + qos);
    }

    @ParameterizedTest(name = "{0}, QoS {1}")
    @MethodSource("versionsAndQos")
    void outInAndBothCarryMessagesWithTheirPrefixesAndQos(String version, int qos) throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote");
                Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), bridge(remote.port(), version, qos))) {
            awaitConnected(local.port(), STATE);
            String q = Integer.toString(qos);
            try (ClientProcess atRemote = subscriber(remote.port(), "cloud/house/#", "shared/#");
                    ClientProcess atLocal = subscriber(local.port(), "house/#", "shared/#")) {
                // Not bridged first: each must still be missing once the bridged messages after it have arrived.
                publish(local.port(), "-t", "house/other", "-m", "stays-local", "-q", q);
                publish(remote.port(), "-t", "cloud/house/other", "-m", "stays-remote", "-q", q);
                publish(local.port(), "-t", "house/sensors/t", "-m", "out-1", "-q", q);
                publish(remote.port(), "-t", "cloud/house/cmd/light", "-m", "in-1", "-q", q);
                publish(local.port(), "-t", "shared/a", "-m", "both-out", "-q", q);
                publish(remote.port(), "-t", "shared/b", "-m", "both-in", "-q", q);
                // Markers after everything, on the paths an echo would take: when they are in, an echo would be too.
                publish(local.port(), "-t", "shared/end", "-m", "marker-out", "-q", q);
                publish(remote.port(), "-t", "shared/end", "-m", "marker-in", "-q", q);

                atRemote.awaitLine((q + " 0 cloud/house/sensors/t out-1")::equals, WAIT);
                atRemote.awaitLine((q + " 0 shared/a both-out")::equals, WAIT);
                atRemote.awaitLine((q + " 0 shared/end marker-out")::equals, WAIT);
                atLocal.awaitLine((q + " 0 house/cmd/light in-1")::equals, WAIT);
                atLocal.awaitLine((q + " 0 shared/b both-in")::equals, WAIT);
                atLocal.awaitLine((q + " 0 shared/end marker-in")::equals, WAIT);
                atLocal.awaitLine((q + " 0 shared/end marker-out")::equals, WAIT);
                atRemote.awaitLine((q + " 0 shared/end marker-in")::equals, WAIT);

                assertThat(messages(atRemote)).as("what reached Mosquitto").noneMatch(l -> l.contains("stays-local"));
                assertThat(messages(atLocal)).as("what reached Drawbridge").noneMatch(l -> l.contains("stays-remote"));
                // Loop prevention: each message once on each side, none echoed back across the bridge.
                assertThat(count(atLocal, q + " 0 shared/a both-out")).isEqualTo(1);
                assertThat(count(atLocal, q + " 0 shared/b both-in")).isEqualTo(1);
                assertThat(count(atRemote, q + " 0 shared/a both-out")).isEqualTo(1);
                assertThat(count(atRemote, q + " 0 shared/b both-in")).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv31", "mqttv311", "mqttv50"})
    void retainedMessagesAreRetainedOnTheOtherSide(String version) throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote")) {
            // Retained on Mosquitto before the bridge connects: it comes in when the bridge subscribes.
            publish(remote.port(), "-r", "-t", "cloud/house/cmd/before", "-m", "was-there", "-q", "1");
            try (Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), bridge(remote.port(), version, 1))) {
                awaitConnected(local.port(), STATE);
                publish(local.port(), "-r", "-t", "house/sensors/kept", "-m", "kept-out", "-q", "1");
                publish(remote.port(), "-r", "-t", "cloud/house/cmd/kept", "-m", "kept-in", "-q", "1");
                // A late subscriber on each side gets them as retained messages (retain flag 1).
                try (ClientProcess atRemote = subscriber(remote.port(), "cloud/house/sensors/kept")) {
                    atRemote.awaitLine("1 1 cloud/house/sensors/kept kept-out"::equals, WAIT);
                }
                try (ClientProcess atLocal = subscriber(local.port(), "house/cmd/#")) {
                    atLocal.awaitLine("1 1 house/cmd/kept kept-in"::equals, WAIT);
                    atLocal.awaitLine("1 1 house/cmd/before was-there"::equals, WAIT);
                }
            }
        }
    }

    @Test
    void mqtt5PropertiesCrossTheBridgeBothWays() throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote");
                Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), bridge(remote.port(), "mqttv50", 1))) {
            awaitConnected(local.port(), STATE);
            List<String> v5Sub = List.of("-V", "mqttv5", "-q", "1", "-F", "%C %P %p");
            try (ClientProcess atRemote =
                            MosquittoClients.subscribed(remote.port(), with(v5Sub, "-t", "cloud/house/#"));
                    ClientProcess atLocal =
                            MosquittoClients.subscribed(local.port(), with(v5Sub, "-t", "house/cmd/#"))) {
                publish(
                        local.port(),
                        "-V",
                        "mqttv5",
                        "-q",
                        "1",
                        "-t",
                        "house/sensors/p",
                        "-m",
                        "out",
                        "-D",
                        "publish",
                        "content-type",
                        "text/plain",
                        "-D",
                        "publish",
                        "user-property",
                        "room",
                        "hall");
                publish(
                        remote.port(),
                        "-V",
                        "mqttv5",
                        "-q",
                        "1",
                        "-t",
                        "cloud/house/cmd/p",
                        "-m",
                        "in",
                        "-D",
                        "publish",
                        "content-type",
                        "text/csv",
                        "-D",
                        "publish",
                        "user-property",
                        "room",
                        "attic");

                atRemote.awaitLine("text/plain room:hall out"::equals, WAIT);
                atLocal.awaitLine("text/csv room:attic in"::equals, WAIT);
            }
        }
    }

    private static String[] with(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
