package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.MqttBytes;
import dev.drawbridge.broker.it.differential.MqttBytes.Connect;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * READ is checked when a message is delivered, not when it was queued: after a reload (SIGHUP) takes READ away,
 * messages already queued for an offline persistent session are dropped, as Mosquitto 2.0.11 drops them, while one
 * queued the same way on a topic the user may still read is delivered.
 */
class AclReloadIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    void messagesQueuedBeforeAReloadThatTakesReadAwayAreNotDelivered() throws Exception {
        Path acl = Files.writeString(
                broker.dir().resolve("acl"),
                "topic readwrite acl/t\ntopic readwrite acl/kept\n",
                StandardCharsets.UTF_8);
        broker.start("acl_file " + acl);
        Connect session = Connect.mqtt311("acl-offline").persistent();
        RawConnection online = broker.connected(session);
        RawClients.subscribe(online, "acl/t", 1);
        RawClients.subscribe(online, "acl/kept", 1);
        RawClients.disconnect(online);

        // Queued the same way as the messages READ is taken from, in between them: the positive control.
        broker.publish("-t", "acl/t", "-q", "1", "-m", "queued 1");
        broker.publish("-t", "acl/kept", "-q", "1", "-m", "still readable");
        broker.publish("-t", "acl/t", "-q", "1", "-m", "queued 2");
        Files.writeString(acl, "topic write acl/t\ntopic readwrite acl/kept\n", StandardCharsets.UTF_8);
        broker.reload();

        RawConnection back = broker.open();
        Frame connack = broker.connect(back, session);
        assertThat(connack.describe()).isEqualTo("CONNACK sp=1 rc=0x00");
        Frame delivered = back.expect(Frame.PUBLISH, RawClients.ANSWER);
        assertThat(delivered.topic() + " " + delivered.payloadText())
                .as("the first delivery after the reload: the message on the topic still readable")
                .isEqualTo("acl/kept still readable");
        back.send(MqttBytes.puback(delivered.packetId()));
        RawClients.nothingBeforePingResponse(
                back, "a message queued while READ was allowed, delivered after it was not");
    }
}
