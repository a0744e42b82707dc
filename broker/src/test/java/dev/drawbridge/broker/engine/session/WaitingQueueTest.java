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
        return delivery(1);
    }

    private static Outgoing delivery(int qos) {
        return new Outgoing(
                PublishedMessage.of("t", qos, false, Unpooled.wrappedBuffer(new byte[] {1}), "c"), qos, false, -1);
    }

    @Test
    void theQos12MessagesThatGetAFreeInFlightSlotDoNotCount() {
        QueueLimits limits = new QueueLimits(20, 2, 0);
        WaitingQueue queue = new WaitingQueue();
        queue.add(delivery(1));
        queue.add(delivery(2));
        assertThat(queue.admits(limits, "garage", 0)).as("offline: both wait").isFalse();
        assertThat(queue.admits(limits, "garage", 1))
                .as("one slot: one of them waits")
                .isTrue();
        assertThat(queue.admits(limits, "garage", 20)).as("both get a slot").isTrue();

        queue.add(delivery(0));
        assertThat(queue.admits(limits, "garage", 20))
                .as("one QoS 0 message waits")
                .isTrue();
        queue.add(delivery(0));
        assertThat(queue.qos12()).isEqualTo(2);
        assertThat(queue.admits(limits, "garage", 20))
                .as("QoS 0 messages take no slot: two wait")
                .isFalse();
        queue.take();
        assertThat(queue.qos12()).as("the QoS 1 one taken").isEqualTo(1);
    }

    @Test
    void theBytesOfMessagesThatGetASlotStillCount() {
        QueueLimits limits = new QueueLimits(20, 0, 2);
        WaitingQueue queue = new WaitingQueue();
        queue.add(delivery(1));
        queue.add(delivery(1));
        assertThat(queue.admits(limits, "garage", 20)).isFalse();
    }

    @Test
    void aDropIsLoggedOnceUntilTheQueueDrainsThenAgain() {
        QueueLimits limits = new QueueLimits(0, 2, 0);
        WaitingQueue queue = new WaitingQueue();
        try (LogCapture log = LogCapture.of("dev.drawbridge.broker.queues", Level.WARN)) {
            queue.add(delivery());
            queue.add(delivery());
            assertThat(queue.admits(limits, "garage", 0)).isFalse();
            assertThat(queue.admits(limits, "garage", 0)).isFalse();
            assertThat(log.messages()).hasSize(1);

            queue.take();
            assertThat(queue.admits(limits, "garage", 0))
                    .as("room for one again")
                    .isTrue();
            queue.add(delivery());
            assertThat(queue.admits(limits, "garage", 0)).isFalse();
            assertThat(log.messages()).as("not drained yet: still once").hasSize(1);

            queue.take();
            queue.take();
            queue.add(delivery());
            queue.add(delivery());
            assertThat(queue.admits(limits, "garage", 0)).isFalse();
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
