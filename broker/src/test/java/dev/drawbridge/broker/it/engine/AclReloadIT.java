package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * READ is checked when a message is delivered, not when it was queued: after a reload (SIGHUP) takes READ away,
 * messages already queued for an offline persistent session are dropped, as Mosquitto 2.0.11 drops them.
 */
class AclReloadIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    void messagesQueuedBeforeAReloadThatTakesReadAwayAreNotDelivered() throws Exception {
        Path acl = Files.writeString(broker.dir().resolve("acl"), "topic readwrite acl/t\n", StandardCharsets.UTF_8);
        broker.start("acl_file " + acl);
        Connect session = Connect.mqtt311("acl-offline").persistent();
        RawConnection online = broker.connected(session);
        RawClients.subscribe(online, "acl/t", 1);
        RawClients.disconnect(online);

        for (int i = 1; i <= 3; i++) {
            broker.publish("-t", "acl/t", "-q", "1", "-m", "queued " + i);
        }
        Files.writeString(acl, "topic write acl/t\n", StandardCharsets.UTF_8);
        broker.reload();

        RawConnection back = broker.open();
        Frame connack = broker.connect(back, session);
        assertThat(connack.describe()).isEqualTo("CONNACK sp=1 rc=0x00");
        RawClients.nothingBeforePingResponse(
                back, "a message queued while READ was allowed, delivered after it was not");
    }
}
