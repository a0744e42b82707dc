package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.awaitConnected;
import static dev.drawbridge.broker.it.bridge.BridgeSides.messages;
import static dev.drawbridge.broker.it.bridge.BridgeSides.mosquitto;
import static dev.drawbridge.broker.it.bridge.BridgeSides.publish;
import static dev.drawbridge.broker.it.bridge.BridgeSides.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.ClientProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge under {@code acl_file}: with {@code local_username} what comes in is checked like that user's PUBLISH and
 * what goes out like its READ; without one the bridge is trusted, as Mosquitto 2.0.11 trusts a bridge. Subscribers
 * here are judged by their own READ rules as for any message.
 */
class BridgeAclIT {

    private static final String ACL = String.join(
            "\n",
            "# anonymous clients (the test's publishers and subscribers) read and write everything below house/",
            "topic readwrite house/#",
            "topic read $SYS/#",
            "user bridge",
            "topic write house/cmd/allowed/#",
            "topic read house/sensors/ok/#",
            "");

    @TempDir
    Path dir;

    private Drawbridge start(int remotePort, String... bridgeLines) throws Exception {
        Path acl = Files.writeString(
                Files.createDirectories(dir.resolve("local")).resolve("acl"), ACL, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(
                "acl_file " + acl,
                "connection dbtest",
                "address 127.0.0.1:" + remotePort,
                "remote_clientid dbtest",
                "restart_timeout 1",
                "topic cmd/# in 1 house/ cloud/house/",
                "topic sensors/# out 1 house/ cloud/house/"));
        lines.addAll(List.of(bridgeLines));
        return DrawbridgeBroker.start(dir.resolve("local"), lines);
    }

    @Test
    void underLocalUsernameADeniedTopicIsNeitherLetInNorSentOut() throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote");
                Drawbridge local = start(remote.port(), "local_username bridge", "local_password unused")) {
            awaitConnected(local.port(), "$SYS/broker/connection/dbtest/state");
            try (ClientProcess atLocal = subscriber(local.port(), "house/#");
                    ClientProcess atRemote = subscriber(remote.port(), "cloud/house/sensors/#")) {
                publish(remote.port(), "-t", "cloud/house/cmd/denied/door", "-m", "open", "-q", "1");
                publish(remote.port(), "-t", "cloud/house/cmd/allowed/light", "-m", "on", "-q", "1");
                publish(local.port(), "-t", "house/sensors/secret", "-m", "pin", "-q", "1");
                publish(local.port(), "-t", "house/sensors/ok/temp", "-m", "21", "-q", "1");

                atLocal.awaitLine("1 0 house/cmd/allowed/light on"::equals, WAIT);
                atRemote.awaitLine("1 0 cloud/house/sensors/ok/temp 21"::equals, WAIT);
                assertThat(messages(atLocal)).noneMatch(l -> l.contains("denied"));
                assertThat(messages(atRemote)).noneMatch(l -> l.contains("secret"));
            }
        }
    }

    @Test
    void withoutLocalUsernameTheBridgeIsTrustedAsInMosquitto() throws Exception {
        try (MosquittoBroker remote = mosquitto(dir, "remote");
                Drawbridge local = start(remote.port())) {
            awaitConnected(local.port(), "$SYS/broker/connection/dbtest/state");
            try (ClientProcess atLocal = subscriber(local.port(), "house/#");
                    ClientProcess atRemote = subscriber(remote.port(), "cloud/house/sensors/#")) {
                publish(remote.port(), "-t", "cloud/house/cmd/denied/door", "-m", "open", "-q", "1");
                publish(local.port(), "-t", "house/sensors/secret", "-m", "pin", "-q", "1");

                atLocal.awaitLine("1 0 house/cmd/denied/door open"::equals, WAIT);
                atRemote.awaitLine("1 0 cloud/house/sensors/secret pin"::equals, WAIT);
            }
        }
    }
}
