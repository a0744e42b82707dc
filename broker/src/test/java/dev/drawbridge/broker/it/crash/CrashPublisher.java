package dev.drawbridge.broker.it.crash;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.drawbridge.broker.it.crash.RawMqttLink.Packet;
import java.io.IOException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The crash test's publisher: a persistent session (CleanSession 0) that sends QoS 1 messages whose payload is a
 * sequence number in decimal, at most {@link #WINDOW} unacknowledged at a time and at most {@link #BACKLOG} ahead of
 * the subscriber, so the broker's queue holds messages at every kill but never a backlog the final wait cannot
 * drain. It records exactly which sequence
 * numbers the broker acknowledged with a PUBACK, and on every reconnect re-sends the unacknowledged ones with their
 * packet identifiers and DUP set, as MQTT 3.1.1 section 4.4 asks of a client.
 */
final class CrashPublisher implements RawMqttLink.Listener {

    static final String CLIENT_ID = "crash-pub";
    static final String TOPIC = "crash/load";

    /** Enough to keep the broker busy; small enough that a socket buffer never blocks a send. */
    private static final int WINDOW = 64;

    /**
     * How far the newest message may run ahead of the newest one delivered, or of the first one sent on this connection
     * if that is later. Judged on sequence numbers, not counts, so messages the broker lost do not hold the load back.
     */
    private static final int BACKLOG = 500;

    /** The message expiry interval (seconds) of an MQTT 5 message. */
    static final long MESSAGE_EXPIRY = 3600;

    private final IntSupplier highestDelivered;

    /** Packet id to sequence number, in the order sent (the order of a re-send). */
    private final Map<Integer, Integer> unacknowledged = new LinkedHashMap<>();

    private final BitSet acknowledged = new BitSet();
    private int nextSequence;
    private int nextPacketId = 1;
    private int firstOnThisConnection;
    private final boolean v5;
    private @Nullable RawMqttLink link;

    /**
     * {@code highestDelivered}: the highest sequence number the subscriber has received, -1 for none; {@code v5}: speak
     * MQTT 5, with a session that expires after an hour and {@link #propertiesOf} on every message.
     */
    CrashPublisher(IntSupplier highestDelivered, boolean v5) {
        this.highestDelivered = highestDelivered;
        this.v5 = v5;
    }

    /** Connects, then re-sends every unacknowledged message; returns the CONNACK's Session Present flag. */
    synchronized boolean connect(int port) throws IOException {
        RawMqttLink opened = v5
                ? RawMqttLink.openV5(port, CLIENT_ID, false, CrashSubscriber.SESSION_EXPIRY, this)
                : RawMqttLink.open(port, CLIENT_ID, false, this);
        link = opened;
        firstOnThisConnection = nextSequence;
        for (Map.Entry<Integer, Integer> message : unacknowledged.entrySet()) {
            opened.send(publish(message.getKey(), message.getValue(), true));
        }
        return opened.sessionPresent();
    }

    /** Publishes as fast as the window allows until the connection drops. Runs on its own thread. */
    synchronized void publishUntilDropped() throws InterruptedException {
        RawMqttLink current = link;
        if (current == null) {
            throw new IllegalStateException("not connected");
        }
        while (!current.isDropped()) {
            if (unacknowledged.size() >= WINDOW) {
                wait(100); // PUBACK and drop notify
                continue;
            }
            if (nextSequence - Math.max(highestDelivered.getAsInt(), firstOnThisConnection) > BACKLOG) {
                wait(2); // deliveries do not notify: the subscriber does not know this monitor
                continue;
            }
            int packetId = freePacketId();
            int sequence = nextSequence++;
            unacknowledged.put(packetId, sequence);
            if (!current.send(publish(packetId, sequence, false))) {
                return; // the reader reports the drop; the message stays for the re-send
            }
        }
    }

    private int freePacketId() {
        while (unacknowledged.containsKey(nextPacketId)) {
            nextPacketId = nextPacketId % 65535 + 1;
        }
        int id = nextPacketId;
        nextPacketId = nextPacketId % 65535 + 1;
        return id;
    }

    private byte[] publish(int packetId, int sequence, boolean dup) {
        byte[] payload = Integer.toString(sequence).getBytes(US_ASCII);
        return v5
                ? RawMqttLink.publishV5Qos1(packetId, TOPIC, propertiesOf(sequence), payload, false, dup)
                : RawMqttLink.publishQos1(packetId, TOPIC, payload, false, dup);
    }

    /** What an MQTT 5 message carries: an hour's expiry, a content type and its sequence number as user property. */
    static Mqtt5Properties propertiesOf(int sequence) {
        return Mqtt5Properties.NONE
                .with(Mqtt5Properties.MESSAGE_EXPIRY, Long.toString(MESSAGE_EXPIRY))
                .with(Mqtt5Properties.CONTENT_TYPE, "text/plain")
                .with(Mqtt5Properties.USER_PROPERTY, "seq:" + sequence);
    }

    @Override
    public synchronized void packet(RawMqttLink from, Packet packet) {
        // An MQTT 5 PUBACK may carry a reason code; one of 0x80 or above is a refusal: the message stays
        // unacknowledged.
        boolean refused = packet.body().length > 2 && (packet.body()[2] & 0xff) >= 0x80;
        if (packet.type() == RawMqttLink.PUBACK && !refused) {
            Integer sequence = unacknowledged.remove(packet.packetId(0));
            if (sequence != null) {
                acknowledged.set(sequence);
            }
            notifyAll();
        }
    }

    @Override
    public synchronized void dropped(RawMqttLink from) {
        notifyAll();
    }

    synchronized boolean isDropped() {
        return link == null || link.isDropped();
    }

    synchronized int acknowledgedCount() {
        return acknowledged.cardinality();
    }

    synchronized BitSet acknowledged() {
        return (BitSet) acknowledged.clone();
    }

    synchronized int unacknowledgedCount() {
        return unacknowledged.size();
    }

    synchronized int sent() {
        return nextSequence;
    }

    synchronized void close() {
        if (link != null) {
            link.close();
        }
    }
}
