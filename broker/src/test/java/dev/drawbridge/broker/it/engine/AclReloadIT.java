package dev.drawbridge.broker.it.engine;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * READ is checked when a message is delivered, not when it was queued: after a reload (SIGHUP) takes READ away,
 * messages already queued for an offline persistent session are dropped, as Mosquitto 2.0.11 drops them.
 */
class AclReloadIT {

    @TempDir
    Path dir;

    private Drawbridge broker;
    private RawClients raw;

    @AfterEach
    void stop() {
        if (raw != null) {
            raw.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void messagesQueuedBeforeAReloadThatTakesReadAwayAreNotDelivered() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), "topic readwrite acl/t\n", StandardCharsets.UTF_8);
        broker = DrawbridgeBroker.start(dir.resolve("conf"), List.of("acl_file " + acl));
        raw = new RawClients(broker.port());
        Connect session = Connect.mqtt311("acl-offline").persistent();
        RawConnection online = raw.connected(session);
        RawClients.subscribe(online, "acl/t", 1);
        online.send(MqttBytes.DISCONNECT);
        online.expectClosed(RawClients.ANSWER);

        for (int i = 1; i <= 3; i++) {
            assertThat(pub(broker.port(), "-t", "acl/t", "-q", "1", "-m", "queued " + i)
                            .exitCode())
                    .isZero();
        }
        Files.writeString(acl, "topic write acl/t\n", StandardCharsets.UTF_8);
        broker.reload();

        RawConnection back = raw.open();
        Frame connack = raw.connect(back, session);
        assertThat(connack.describe()).isEqualTo("CONNACK sp=1 rc=0x00");
        RawClients.nothingBeforePingResponse(
                back, "a message queued while READ was allowed, delivered after it was not");
    }
}
