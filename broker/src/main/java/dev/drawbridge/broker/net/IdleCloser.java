package dev.drawbridge.broker.net;

import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has no accepted CONNECT by its deadline, however slowly it trickles, and after that one
 * whose reader went idle for 1.5 times the keepalive (MQTT-3.1.2-24; the engine's link sets it with {@link #limit}). It
 * only notes when the connection opened and when bytes last arrived (the {@link FrameValidator} tells it); its I/O
 * thread's {@link IdleSweep} does the closing: no timer and no handler of its own per connection. Event loop only.
 */
final class IdleCloser {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final Channel channel;
    private final IdleSweep sweep;
    private final long openedNanos;
    private final long connectDeadlineNanos;
    /** No CONNECT has been accepted yet: only the deadline counts. */
    private boolean awaitingConnect = true;
    /** Nanoseconds of silence allowed once connected; 0: none is too long. */
    private long limitNanos;

    private long lastReadNanos;
    /** Bytes were read and the read batch is not complete yet: the connection is not idle. */
    private boolean reading;

    // The sweep's list links, touched only by the sweep on this connection's I/O thread.
    boolean listed;

    @Nullable
    IdleCloser previous;

    @Nullable
    IdleCloser next;

    /** Starts watching {@code channel}, which must complete an accepted CONNECT within {@code connectDeadline}. */
    IdleCloser(Channel channel, IdleSweep sweep, long connectDeadline, TimeUnit unit) {
        this.channel = channel;
        this.sweep = sweep;
        this.connectDeadlineNanos = unit.toNanos(connectDeadline);
        this.openedNanos = sweep.now();
        this.lastReadNanos = openedNanos;
        sweep.add(this);
    }

    /** Bytes arrived. */
    void read() {
        reading = true;
    }

    /** The read batch is complete: the silence counts from now. */
    void readComplete() {
        if (reading) {
            lastReadNanos = sweep.now();
            reading = false;
        }
    }

    /** The CONNECT was accepted (its CONNACK is being written): the deadline no longer applies. */
    void connected() {
        if (!awaitingConnect) {
            return;
        }
        awaitingConnect = false;
        if (limitNanos == 0) {
            sweep.remove(this);
        }
    }

    /**
     * Allows {@code limit} of silence from now on (0: any silence), once the CONNECT is accepted; on the connection's I/O
     * thread, as the engine's link calls it while handling the CONNECT.
     */
    void limit(long limit, TimeUnit unit) {
        limitNanos = unit.toNanos(limit);
        if (!channel.isActive()) {
            return;
        }
        lastReadNanos = sweep.now();
        if (limitNanos > 0 || awaitingConnect) {
            sweep.add(this);
        } else {
            sweep.remove(this);
        }
    }

    /** The connection closed: no longer watched. */
    void closed() {
        sweep.remove(this);
    }

    boolean expired(long now) {
        if (awaitingConnect) {
            return now - openedNanos >= connectDeadlineNanos;
        }
        return limitNanos > 0 && !reading && now - lastReadNanos >= limitNanos;
    }

    void closeIdle() {
        if (awaitingConnect) {
            LOG.info(
                    "Connection from {} closed: no accepted CONNECT within {} s.",
                    FrontHandler.peer(channel),
                    TimeUnit.NANOSECONDS.toSeconds(connectDeadlineNanos));
        } else {
            LOG.info("Client from {} has exceeded timeout, disconnecting.", FrontHandler.peer(channel));
        }
        channel.close();
    }
}
