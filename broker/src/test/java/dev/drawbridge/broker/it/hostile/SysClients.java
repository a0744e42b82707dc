package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drawbridge.broker.it.hostile.RawSocket.Packet;
import dev.drawbridge.broker.it.hostile.RawSocket.Read;
import java.time.Duration;
import java.util.function.LongPredicate;

/** Reads {@code $SYS/broker/clients/connected}: the number of connected clients the broker reports. */
final class SysClients {

    private static final String TOPIC = "$SYS/broker/clients/connected";

    private SysClients() {}

    /**
     * The count a fresh subscriber sees, itself included: the first value published after it subscribed that matches
     * {@code wanted}, or the last one seen when none does within {@code timeout}. The retained value from before the
     * subscription is skipped, since it may predate this client.
     */
    static long connectedSeenByAFreshClient(int port, LongPredicate wanted, Duration timeout) {
        try (RawSocket socket = RawSocket.open(port)) {
            socket.send(Wire.connect("sys-reader-" + System.nanoTime()));
            socket.expectPacket(timeout); // CONNACK
            socket.send(Wire.subscribe(1, TOPIC, 0));
            long deadline = System.nanoTime() + timeout.toNanos();
            long last = -1;
            boolean retainedSkipped = false;
            while (System.nanoTime() < deadline) {
                Read read = socket.read(Duration.ofMillis(200));
                if (read instanceof RawSocket.Closed) {
                    break;
                }
                if (!(read instanceof Packet p) || (p.bytes()[0] & 0xf0) != 0x30) {
                    continue;
                }
                if ((p.bytes()[0] & 0x01) != 0 && !retainedSkipped) {
                    retainedSkipped = true;
                    continue;
                }
                byte[] body = Wire.body(p.bytes());
                int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                last = Long.parseLong(new String(Wire.slice(body, 2 + topicLength, body.length), UTF_8));
                if (wanted.test(last)) {
                    break;
                }
            }
            socket.send(Wire.DISCONNECT);
            return last;
        }
    }
}
