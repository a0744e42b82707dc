package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keepalive timer shared by an I/O thread's connections: who is closed at a sweep and who is not. The sweep's
 * clock is the test's, so nothing here waits.
 */
class IdleSweepTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final EmbeddedChannel timerLoop = new EmbeddedChannel();
    private final IdleSweep sweep = new IdleSweep(timerLoop.eventLoop(), clock::get);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        timerLoop.finishAndReleaseAll();
    }

    /** A connection whose idle limit is {@code seconds}, as the pipeline starts it. */
    private IdleCloser connection(long seconds) {
        IdleCloser closer = new IdleCloser(loop -> sweep, seconds, TimeUnit.SECONDS);
        channels.add(new EmbeddedChannel(closer));
        return closer;
    }

    private void after(long nanos) {
        clock.addAndGet(nanos);
    }

    @Test
    void aConnectionSilentForItsLimitIsClosedOneThatReadStaysOpen() {
        connection(3);
        connection(3);
        EmbeddedChannel silent = channels.get(0);
        EmbeddedChannel talking = channels.get(1);

        after(2 * SECOND);
        talking.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC0, 0})); // PINGREQ
        after(SECOND - 1);
        sweep.run();
        assertThat(silent.isOpen()).as("silent 1 ns less than its limit").isTrue();

        after(1);
        sweep.run();
        assertThat(silent.isOpen()).as("silent for its whole limit").isFalse();
        assertThat(talking.isOpen()).as("read 1 s ago").isTrue();

        after(2 * SECOND);
        sweep.run();
        assertThat(talking.isOpen()).as("silent for 3 s since its read").isFalse();
    }

    @Test
    void aNewLimitCountsFromWhenItIsSetAndZeroNeverCloses() {
        IdleCloser keepalive2 = connection(10);
        IdleCloser keepalive0 = connection(10);

        after(9 * SECOND);
        keepalive2.limit(3000, TimeUnit.MILLISECONDS);
        keepalive0.limit(0, TimeUnit.MILLISECONDS);
        after(2 * SECOND);
        sweep.run();
        assertThat(channels.get(0).isOpen())
                .as("11 s after connecting, 2 s after the new limit of 3 s")
                .isTrue();

        after(3600 * SECOND);
        sweep.run();
        assertThat(channels.get(0).isOpen()).as("keepalive 2 s, an hour later").isFalse();
        assertThat(channels.get(1).isOpen()).as("keepalive 0, an hour later").isTrue();
        assertThat(keepalive0.listed).as("keepalive 0 is not watched").isFalse();
    }

    @Test
    void aClosedConnectionLeavesTheSweepAndTheOnesAroundItAreStillClosed() {
        IdleCloser first = connection(1);
        IdleCloser middle = connection(1);
        IdleCloser last = connection(1);

        channels.get(1).close();
        assertThat(middle.listed).as("removed when its channel closed").isFalse();
        after(SECOND);
        sweep.run();

        assertThat(channels.get(0).isOpen()).isFalse();
        assertThat(channels.get(2).isOpen()).isFalse();
        assertThat(first.listed).isFalse();
        assertThat(last.listed).isFalse();
    }
}
