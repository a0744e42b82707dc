package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the session does with a message its client's mount point does not show: a filter ending in {@code #} matches
 * the bare prefix ({@code house/#} matches {@code house}), which has no topic below the mount point to be sent as. Such
 * messages are dropped before they take an in-flight slot, so they cannot stall the client's QoS 1 deliveries.
 */
class MountPointDeliveryIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedByTheTest();

    @Test
    void messagesOnTheBarePrefixTakeNoInFlightSlot() {
        broker.start("max_inflight_messages 5", "listener 0 127.0.0.1", "mount_point house/");
        RawConnection mounted = broker.openOn(1);
        mounted.send(hex("100e" + "00044d515454" + "04" + "02" + "003c" + "00026d73")); // CONNECT "ms", 3.1.1
        assertThat(mounted.expect(Frame.CONNACK, ANSWER).returnCode()).isZero();
        mounted.send(hex("8206" + "0001" + "0001" + "23" + "01")); // SUBSCRIBE "#" QoS 1: "house/#" here
        assertThat(mounted.expect(Frame.SUBACK, ANSWER).returnCodes()).containsExactly(1);
        RawConnection publisher = broker.open();
        publisher.send(hex("100f" + "00044d515454" + "04" + "02" + "003c" + "0003707562")); // CONNECT "pub"
        assertThat(publisher.expect(Frame.CONNACK, ANSWER).returnCode()).isZero();

        for (int id = 1; id <= 8; id++) { // more than the 5 in flight the mounted client may have
            publisher.send(publishQos1("house", id, "bare"));
            assertThat(publisher.expect(Frame.PUBACK, ANSWER).packetId()).isEqualTo(id);
        }
        publisher.send(publishQos1("house/x", 9, "below"));
        assertThat(publisher.expect(Frame.PUBACK, ANSWER).packetId()).isEqualTo(9);

        Frame first = mounted.expect(Frame.PUBLISH, ANSWER);
        assertThat(first.topic()).isEqualTo("x");
        assertThat(first.payloadText()).isEqualTo("below");
    }

    private static byte[] publishQos1(String topic, int packetId, String payload) {
        var body = new ByteArrayOutputStream();
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        body.write(name.length >> 8);
        body.write(name.length);
        body.writeBytes(name);
        body.write(packetId >> 8);
        body.write(packetId);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        var out = new ByteArrayOutputStream();
        out.write(0x32);
        out.write(body.size()); // shorter than 128 bytes
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
