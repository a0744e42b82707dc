package dev.drawbridge.broker.it.crash;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drawbridge.broker.it.crash.RawMqttLink.Packet;
import dev.drawbridge.broker.it.crash.RawMqttLink.Publish;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sets and reads the retained message on {@link #TOPIC} (outside the load's {@code crash/#}) over short clean-session
 * connections: one QoS 1 PUBLISH with RETAIN that must be acknowledged, and one SUBSCRIBE that shows what is retained.
 */
final class RetainedProbe {

    static final String TOPIC = "crash-retained/state";

    private static final Duration ANSWER = Duration.ofSeconds(5);

    /** After the SUBACK, how long a retained message may take to follow it. */
    private static final Duration RETAINED_AFTER_SUBACK = Duration.ofSeconds(2);

    private RetainedProbe() {}

    /** Publishes {@code text} retained at QoS 1 and returns once the broker has acknowledged it. */
    static void publish(int port, String text) throws IOException, InterruptedException {
        BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        try (RawMqttLink link = RawMqttLink.open(port, "crash-retain-pub", true, RawMqttLink.onPacket(packets::add))) {
            link.send(RawMqttLink.publishQos1(7, TOPIC, text.getBytes(UTF_8), true, false));
            Packet ack = next(packets, ANSWER);
            if (ack == null || ack.type() != RawMqttLink.PUBACK || ack.packetId(0) != 7) {
                throw new AssertionError("expected PUBACK 7 for the retained message, found " + ack);
            }
        }
    }

    /** The text of the message retained on {@link #TOPIC}, if there is one. */
    static Optional<String> read(int port) throws IOException, InterruptedException {
        BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
        try (RawMqttLink link =
                RawMqttLink.open(port, "crash-retain-check", true, RawMqttLink.onPacket(packets::add))) {
            link.send(RawMqttLink.subscribe(3, TOPIC, 1));
            Packet packet = next(packets, ANSWER);
            if (packet == null || packet.type() != RawMqttLink.SUBACK) {
                throw new AssertionError("expected SUBACK, found " + packet);
            }
            Packet retained = next(packets, RETAINED_AFTER_SUBACK);
            if (retained == null) {
                return Optional.empty();
            }
            Publish publish = Publish.of(retained);
            if (publish.packetId() != 0) {
                link.send(RawMqttLink.pubAck(publish.packetId()));
            }
            return publish.retain() ? Optional.of(publish.text()) : Optional.empty();
        }
    }

    private static Packet next(BlockingQueue<Packet> packets, Duration timeout) throws InterruptedException {
        return packets.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
