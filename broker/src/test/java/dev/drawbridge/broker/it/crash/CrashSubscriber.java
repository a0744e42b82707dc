package dev.drawbridge.broker.it.crash;

import dev.drawbridge.broker.it.crash.RawMqttLink.Packet;
import dev.drawbridge.broker.it.crash.RawMqttLink.Publish;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The crash test's subscriber: a persistent session (CleanSession 0, fixed client id) with a QoS 1 subscription to
 * {@link #FILTER}. Each message is recorded by its sequence number before the PUBACK goes out, as an application
 * that processes, then acknowledges; a sequence number seen before counts as a duplicate.
 */
final class CrashSubscriber implements RawMqttLink.Listener {

    static final String CLIENT_ID = "crash-sub";
    static final String FILTER = "crash/#";

    private final BitSet received = new BitSet();
    private final List<String> unexpected = new ArrayList<>();
    private final AtomicInteger highest = new AtomicInteger(-1);
    private int duplicates;
    private int subackCode = -1;
    private @Nullable RawMqttLink link;

    /** Connects with the fixed client id; returns the CONNACK's Session Present flag. */
    synchronized boolean connect(int port) throws IOException {
        RawMqttLink opened = RawMqttLink.open(port, CLIENT_ID, false, this);
        link = opened;
        subackCode = -1;
        return opened.sessionPresent();
    }

    /** Sends SUBSCRIBE {@link #FILTER} QoS 1; {@link #subscribed()} turns true with a SUBACK that grants QoS 1. */
    synchronized void subscribe() {
        if (link == null || !link.send(RawMqttLink.subscribe(1, FILTER, 1))) {
            throw new IllegalStateException("subscriber not connected");
        }
    }

    synchronized boolean subscribed() {
        return subackCode == 1;
    }

    @Override
    public synchronized void packet(RawMqttLink from, Packet packet) {
        if (packet.type() == RawMqttLink.SUBACK) {
            subackCode = packet.body()[2] & 0xff;
        } else if (packet.type() == RawMqttLink.PUBLISH) {
            Publish publish = Publish.of(packet);
            record(publish);
            if (publish.qos() > 0) {
                from.send(RawMqttLink.pubAck(publish.packetId()));
            }
        } else {
            unexpected.add("packet type " + packet.type());
        }
    }

    private void record(Publish publish) {
        if (!publish.topic().equals(CrashPublisher.TOPIC) || publish.qos() != 1) {
            unexpected.add("PUBLISH q" + publish.qos() + " on " + publish.topic());
            return;
        }
        int sequence;
        try {
            sequence = Integer.parseInt(publish.text());
        } catch (NumberFormatException e) {
            unexpected.add("payload '" + publish.text() + "'");
            return;
        }
        if (received.get(sequence)) {
            duplicates++;
        } else {
            received.set(sequence);
            highest.accumulateAndGet(sequence, Math::max);
        }
    }

    @Override
    public void dropped(RawMqttLink from) {}

    synchronized boolean isDropped() {
        return link == null || link.isDropped();
    }

    /** True once every sequence number in {@code expected} has arrived. */
    synchronized boolean hasAll(BitSet expected) {
        BitSet missing = (BitSet) expected.clone();
        missing.andNot(received);
        return missing.isEmpty();
    }

    /** The highest sequence number received, -1 for none; lock-free, for the publisher's flow control. */
    int highest() {
        return highest.get();
    }

    synchronized BitSet received() {
        return (BitSet) received.clone();
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    synchronized void close() {
        if (link != null) {
            link.close();
        }
    }
}
