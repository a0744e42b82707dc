package dev.drawbridge.broker.sys;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters the network side updates and {@code $SYS} reads. Thread-safe and cheap on the hot path. */
public final class BrokerStats {

    // A packet counts once: in publishReceived or in otherReceived (the same for sent); the totals are their sums. Two
    // adds per PUBLISH (total and PUBLISH) showed in the per-message profile, and one does.
    private final LongAdder otherReceived = new LongAdder();
    private final LongAdder otherSent = new LongAdder();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong maximumConnected = new AtomicLong();

    public void messageReceived(boolean publish) {
        (publish ? publishReceived : otherReceived).increment();
    }

    public void messageSent(boolean publish) {
        (publish ? publishSent : otherSent).increment();
    }

    public void bytesReceived(long n) {
        bytesReceived.add(n);
    }

    public void bytesSent(long n) {
        bytesSent.add(n);
    }

    public void clientConnected() {
        long now = connected.incrementAndGet();
        maximumConnected.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        connected.decrementAndGet();
    }

    public long messagesReceived() {
        return publishReceived.sum() + otherReceived.sum();
    }

    public long messagesSent() {
        return publishSent.sum() + otherSent.sum();
    }

    public long publishReceived() {
        return publishReceived.sum();
    }

    public long publishSent() {
        return publishSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long connected() {
        return connected.get();
    }

    public long maximumConnected() {
        return maximumConnected.get();
    }
}
