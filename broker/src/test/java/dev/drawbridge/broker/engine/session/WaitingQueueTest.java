package dev.drawbridge.broker.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.testing.LogCapture;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** {@code max_queued_messages}: what waits, what is dropped, and that a drop is logged once until the queue drains. */
class WaitingQueueTest {

    private static Outgoing delivery() {
        return new Outgoing(
                PublishedMessage.of("t", 1, false, Unpooled.wrappedBuffer(new byte[] {1}), "c"), 1, false, -1);
    }

    @Test
    void aDropIsLoggedOnceUntilTheQueueDrainsThenAgain() {
        QueueLimits limits = new QueueLimits(0, 2, 0);
        WaitingQueue queue = new WaitingQueue();
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.queues", Level.WARN)) {
            queue.add(delivery());
            queue.add(delivery());
            assertThat(queue.admits(limits, "garage")).isFalse();
            assertThat(queue.admits(limits, "garage")).isFalse();
            assertThat(log.messages()).hasSize(1);

            queue.take();
            assertThat(queue.admits(limits, "garage")).as("room for one again").isTrue();
            queue.add(delivery());
            assertThat(queue.admits(limits, "garage")).isFalse();
            assertThat(log.messages()).as("not drained yet: still once").hasSize(1);

            queue.take();
            queue.take();
            queue.add(delivery());
            queue.add(delivery());
            assertThat(queue.admits(limits, "garage")).isFalse();
            assertThat(log.messages())
                    .as("drained, then full again: logged again")
                    .hasSize(2)
                    .allSatisfy(
                            m -> assertThat(m)
                                    .isEqualTo(
                                            "Outgoing messages are being dropped for client garage: max_queued_messages 2 reached."));
        }
    }
}
