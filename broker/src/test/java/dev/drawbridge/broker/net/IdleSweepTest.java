package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keepalive and CONNECT deadline timer shared by an I/O thread's connections: who is closed at a sweep and who is
 * not. Each connection reads through its real {@link FrameValidator}; the sweep's clock is the test's, so nothing here
 * waits.
 */
class IdleSweepTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** CONNECT, MQTT 3.1.1, clean session, keepalive 60 s, client id "h". */
    private static final byte[] CONNECT = {0x10, 0x0d, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0x3c, 0, 1, 'h'};

    private static final byte[] PINGREQ = {(byte) 0xC0, 0};

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final EmbeddedChannel timerLoop = new EmbeddedChannel();
    private final IdleSweep sweep = new IdleSweep(timerLoop.eventLoop(), clock::get);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        timerLoop.finishAndReleaseAll();
    }

    /** A new connection with a CONNECT deadline of {@code seconds}, as the pipeline starts it. */
    private IdleCloser opened(long seconds) {
        EmbeddedChannel channel = new EmbeddedChannel();
        IdleCloser closer = new IdleCloser(channel, sweep, seconds, TimeUnit.SECONDS);
        channel.pipeline().addLast(FrameValidator.forConnection(1024, closer));
        channels.add(channel);
        return closer;
    }

    /** A connection whose CONNECT was accepted with an idle limit of {@code seconds}, as the engine sets it. */
    private IdleCloser connection(long seconds) {
        IdleCloser closer = opened(10);
        send(channels.get(channels.size() - 1), CONNECT);
        closer.connected();
        closer.limit(seconds, TimeUnit.SECONDS);
        return closer;
    }

    private static void send(Channel channel, byte[] bytes) {
        ((EmbeddedChannel) channel).writeInbound(Unpooled.wrappedBuffer(bytes));
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
        send(talking, PINGREQ);
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

    @Test
    void aConnectionWithoutAnAcceptedConnectIsClosedAtItsDeadlineHoweverItTrickles() {
        opened(10);
        IdleCloser accepted = opened(10);
        EmbeddedChannel trickling = channels.get(0);

        for (int i = 0; i < 9; i++) {
            after(SECOND);
            send(trickling, new byte[] {CONNECT[i]}); // a byte a second, never the whole CONNECT
        }
        send(channels.get(1), CONNECT);
        accepted.connected();
        accepted.limit(60, TimeUnit.SECONDS);
        after(SECOND - 1);
        sweep.run();
        assertThat(trickling.isOpen()).as("1 ns before its deadline").isTrue();

        after(1);
        sweep.run();
        assertThat(trickling.isOpen())
                .as("10 s after opening, its CONNECT never whole")
                .isFalse();
        assertThat(channels.get(1).isOpen())
                .as("the same age, its CONNECT accepted 1 s ago")
                .isTrue();
    }

    @Test
    void anAcceptedConnectEndsTheDeadline() {
        IdleCloser closer = opened(10);
        send(channels.get(0), CONNECT);
        after(5 * SECOND);
        closer.limit(60, TimeUnit.SECONDS); // the engine handles the CONNECT; its CONNACK waits for the store
        after(5 * SECOND);
        sweep.run();
        assertThat(channels.get(0).isOpen())
                .as("no CONNACK yet at the deadline")
                .isFalse();

        IdleCloser connected = opened(10);
        send(channels.get(1), CONNECT);
        after(5 * SECOND);
        connected.limit(60, TimeUnit.SECONDS);
        connected.connected();
        after(50 * SECOND);
        sweep.run();
        assertThat(channels.get(1).isOpen())
                .as("CONNACK written, 50 s after the keepalive of 60 s was set")
                .isTrue();
        after(40 * SECOND);
        sweep.run();
        assertThat(channels.get(1).isOpen()).as("90 s after that, silent").isFalse();
    }

    @Test
    void theFirstPacketMustBeAConnect() {
        opened(10);
        opened(10);
        send(channels.get(0), PINGREQ);
        send(channels.get(1), CONNECT);
        assertThat(channels.get(0).isOpen()).as("PINGREQ first").isFalse();
        assertThat(channels.get(1).isOpen()).as("CONNECT first").isTrue();
    }
}
