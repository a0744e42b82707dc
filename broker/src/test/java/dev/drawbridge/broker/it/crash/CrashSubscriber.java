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
 *
 * <p>At MQTT 5 the session has an expiry interval of an hour (Clean Start 0 alone would end it at the disconnect) and
 * the subscription the identifier {@link #SUBSCRIPTION_IDENTIFIER}: every delivery must carry that identifier, the
 * publisher's properties unchanged and a message expiry counted down but not past; anything else is unexpected.
 */
final class CrashSubscriber implements RawMqttLink.Listener {

    static final String CLIENT_ID = "crash-sub";
    static final String FILTER = "crash/#";
    static final int SUBSCRIPTION_IDENTIFIER = 42;
    static final long SESSION_EXPIRY = 3600;
    private static final int SHOWN = 20;

    private final BitSet received = new BitSet();
    /** The first {@link #SHOWN} unexpected things, and how many there were in all. */
    private final List<String> unexpected = new ArrayList<>();

    private int unexpectedCount;
    private final AtomicInteger highest = new AtomicInteger(-1);
    private int duplicates;
    private int subackCode = -1;
    private final boolean v5;
    private @Nullable RawMqttLink link;

    CrashSubscriber(boolean v5) {
        this.v5 = v5;
    }

    /** Connects with the fixed client id; returns the CONNACK's Session Present flag. */
    synchronized boolean connect(int port) throws IOException {
        RawMqttLink opened = v5
                ? RawMqttLink.openV5(port, CLIENT_ID, false, SESSION_EXPIRY, this)
                : RawMqttLink.open(port, CLIENT_ID, false, this);
        link = opened;
        subackCode = -1;
        return opened.sessionPresent();
    }

    /** Sends SUBSCRIBE {@link #FILTER} QoS 1; {@link #subscribed()} turns true with a SUBACK that grants QoS 1. */
    synchronized void subscribe() {
        byte[] subscribe = v5
                ? RawMqttLink.subscribeV5(1, FILTER, 1, SUBSCRIPTION_IDENTIFIER)
                : RawMqttLink.subscribe(1, FILTER, 1);
        if (link == null || !link.send(subscribe)) {
            throw new IllegalStateException("subscriber not connected");
        }
    }

    synchronized boolean subscribed() {
        return subackCode == 1;
    }

    @Override
    public synchronized void packet(RawMqttLink from, Packet packet) {
        if (packet.type() == RawMqttLink.SUBACK) {
            subackCode = from.subackCode(packet);
        } else if (packet.type() == RawMqttLink.PUBLISH) {
            Publish publish = from.publish(packet);
            record(publish);
            if (publish.qos() > 0) {
                from.send(RawMqttLink.pubAck(publish.packetId()));
            }
        } else {
            unexpected("packet type " + packet.type());
        }
    }

    private void record(Publish publish) {
        if (!publish.topic().equals(CrashPublisher.TOPIC) || publish.qos() != 1) {
            unexpected("PUBLISH q" + publish.qos() + " on " + publish.topic());
            return;
        }
        int sequence;
        try {
            sequence = Integer.parseInt(publish.text());
        } catch (NumberFormatException e) {
            unexpected("payload '" + publish.text() + "'");
            return;
        }
        if (v5) {
            checkProperties(sequence, publish.properties());
        }
        if (received.get(sequence)) {
            duplicates++;
        } else {
            received.set(sequence);
            highest.accumulateAndGet(sequence, Math::max);
        }
    }

    private void checkProperties(int sequence, Mqtt5Properties properties) {
        // The publisher's properties in their order; where the broker puts the identifier and the expiry is its own.
        Mqtt5Properties expected = CrashPublisher.propertiesOf(sequence).without(Mqtt5Properties.MESSAGE_EXPIRY);
        Mqtt5Properties forwarded =
                properties.without(Mqtt5Properties.MESSAGE_EXPIRY).without(Mqtt5Properties.SUBSCRIPTION_IDENTIFIER);
        if (!forwarded.equals(expected)
                || !properties
                        .all(Mqtt5Properties.SUBSCRIPTION_IDENTIFIER)
                        .equals(List.of(Integer.toString(SUBSCRIPTION_IDENTIFIER)))) {
            unexpected("message " + sequence + " with properties " + properties + " instead of " + expected
                    + " and subscription identifier " + SUBSCRIPTION_IDENTIFIER);
        }
        long expiry = properties
                .first(Mqtt5Properties.MESSAGE_EXPIRY)
                .map(Long::parseLong)
                .orElse(-1L);
        if (expiry < 1 || expiry > CrashPublisher.MESSAGE_EXPIRY) {
            unexpected("message " + sequence + " with message expiry " + expiry);
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

    private void unexpected(String what) {
        if (unexpectedCount++ < SHOWN) {
            unexpected.add(what);
        }
    }

    /** What should not have come, the first few, then how many more did. */
    synchronized List<String> unexpected() {
        List<String> shown = new ArrayList<>(unexpected);
        if (unexpectedCount > SHOWN) {
            shown.add("... and " + (unexpectedCount - SHOWN) + " more");
        }
        return shown;
    }

    synchronized void close() {
        if (link != null) {
            link.close();
        }
    }
}
