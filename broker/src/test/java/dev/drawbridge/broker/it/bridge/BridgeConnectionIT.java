package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.awaitConnected;
import static dev.drawbridge.broker.it.bridge.BridgeSides.mosquitto;
import static dev.drawbridge.broker.it.bridge.BridgeSides.mosquittoOn;
import static dev.drawbridge.broker.it.bridge.BridgeSides.publish;
import static dev.drawbridge.broker.it.bridge.BridgeSides.retained;
import static dev.drawbridge.broker.it.bridge.BridgeSides.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge's connection to the real Mosquitto 2.0.11: the notification topic ("1" retained on both brokers while
 * connected, "0" locally when the remote broker goes away and on the remote broker through the will when Drawbridge
 * is cut off), reconnecting when the remote broker is back, and fail-over across {@code address} entries.
 */
class BridgeConnectionIT {

    private static final String STATE = "$SYS/broker/connection/dbtest/state";

    @TempDir
    Path dir;

    private static List<String> bridge(String addresses, String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "connection dbtest",
                "address " + addresses,
                "remote_clientid dbtest",
                "restart_timeout 1",
                "topic sensors/# out 1 house/ cloud/house/",
                "topic cmd/# in 1 house/ cloud/house/"));
        lines.addAll(List.of(more));
        return lines;
    }

    @Test
    void notificationsSayConnectedThenLostAndTheBridgeReconnectsWhenTheRemoteIsBack() throws Exception {
        int port = Ports.free();
        MosquittoBroker first = mosquittoOn(port, dir, "first");
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.bridge.Bridge");
                Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), bridge("127.0.0.1:" + port))) {
            try {
                awaitConnected(local.port(), STATE);
                assertThat(retained(port, STATE))
                        .as("state on the remote broker")
                        .containsExactly("1 1");
                try (ClientProcess state = MosquittoClients.sub(local.port(), "-t", STATE, "-F", "%r %p")) {
                    state.awaitLine("1 1"::equals, WAIT);
                    first.close();
                    state.awaitLine("0 0"::equals, WAIT); // live, so without the retain flag
                }
                assertThat(retained(local.port(), STATE)).containsExactly("1 0");
                log.await(("Bridge dbtest connected to 127.0.0.1:" + port)::equals, WAIT);
                log.await(
                        l -> l.startsWith("Bridge dbtest connection lost: ") && l.endsWith("; retrying in 1 s"), WAIT);
            } finally {
                first.close();
            }
            try (MosquittoBroker again = mosquittoOn(port, dir, "again")) {
                awaitConnected(local.port(), STATE);
                assertThat(retained(again.port(), STATE)).containsExactly("1 1");
                // Both ways again: the remote subscriptions were made anew.
                try (ClientProcess atRemote = subscriber(port, "cloud/house/#");
                        ClientProcess atLocal = subscriber(local.port(), "house/cmd/#")) {
                    publish(local.port(), "-t", "house/sensors/t", "-m", "after-restart-out", "-q", "1");
                    publish(port, "-t", "cloud/house/cmd/t", "-m", "after-restart-in", "-q", "1");
                    atRemote.awaitLine("1 0 cloud/house/sensors/t after-restart-out"::equals, WAIT);
                    atLocal.awaitLine("1 0 house/cmd/t after-restart-in"::equals, WAIT);
                }
            }
        }
    }

    @Test
    void theRemoteLearnsOfACutFromTheWill() throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote")) {
            int localPort = Ports.free();
            List<String> conf =
                    new ArrayList<>(List.of("listener " + localPort + " 127.0.0.1", "allow_anonymous true"));
            conf.addAll(bridge("127.0.0.1:" + remote.port()));
            Path file = Files.write(dir.resolve("drawbridge.conf"), conf, StandardCharsets.UTF_8);
            try (ClientProcess jar = BrokerJar.start(dir, "-c", file.toString());
                    ClientProcess state = MosquittoClients.sub(remote.port(), "-t", STATE, "-F", "%r %p")) {
                awaitConnected(localPort, STATE);
                state.awaitLine("0 1"::equals, WAIT);
                jar.kill(); // no DISCONNECT: Mosquitto publishes the bridge's will
                state.awaitLine("0 0"::equals, WAIT);
            }
            assertThat(retained(remote.port(), STATE)).containsExactly("1 0");
        }
    }

    @Test
    void notificationsLocalOnlyLeaveTheRemoteBrokerAlone() throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote");
                Drawbridge local = DrawbridgeBroker.start(
                        dir.resolve("local"), bridge("127.0.0.1:" + remote.port(), "notifications_local_only true"))) {
            awaitConnected(local.port(), STATE);
            // The control: the bridge is up and carries messages to the remote broker.
            try (ClientProcess atRemote = subscriber(remote.port(), "cloud/house/#")) {
                publish(local.port(), "-t", "house/sensors/t", "-m", "up", "-q", "1");
                atRemote.awaitLine("1 0 cloud/house/sensors/t up"::equals, WAIT);
            }
            assertThat(retained(remote.port(), STATE)).isEmpty();
        }
    }

    @Test
    void failsOverToTheSecondAddressAndGoesBackToTheFirstWhenItIsUp() throws Exception {
        int primary = Ports.free();
        try (MosquittoBroker second = mosquitto(dir, "second");
                Drawbridge local = DrawbridgeBroker.start(
                        dir.resolve("local"), bridge("127.0.0.1:" + primary + " 127.0.0.1:" + second.port()))) {
            awaitConnected(local.port(), STATE);
            try (ClientProcess atSecond = subscriber(second.port(), "cloud/house/#")) {
                publish(local.port(), "-t", "house/sensors/t", "-m", "to-second", "-q", "1");
                atSecond.awaitLine("1 0 cloud/house/sensors/t to-second"::equals, WAIT);
            }
            // round_robin false (the default): the first address is probed and taken back once it answers.
            try (MosquittoBroker first = mosquittoOn(primary, dir, "first");
                    ClientProcess state = MosquittoClients.sub(primary, "-t", STATE, "-F", "%p")) {
                state.awaitLine("1"::equals, WAIT);
                awaitConnected(local.port(), STATE);
                try (ClientProcess atFirst = subscriber(first.port(), "cloud/house/#")) {
                    publish(local.port(), "-t", "house/sensors/t", "-m", "to-first", "-q", "1");
                    atFirst.awaitLine("1 0 cloud/house/sensors/t to-first"::equals, WAIT);
                }
            }
        }
    }
}
