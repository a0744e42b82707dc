package dev.drawbridge.broker.engine.message;

import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.codec.PublishEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One application message as the broker routes it: topic, QoS and RETAIN as published, and the payload, shared by
 * every subscriber it goes to and by the retained store. Reference counted: whoever keeps it (a session's queue, the
 * retained store) holds one reference; the payload is freed with the last one.
 *
 * <p>The QoS 0 PUBLISH packet is encoded once, on first use, and its bytes shared by every QoS 0 delivery.
 */
public final class PublishedMessage extends AbstractReferenceCounted {

    private static final byte[] NO_PROPERTIES = new byte[0];
    /** The topic of a PUBLISH whose topic alias stands for it. */
    private static final byte[] NO_TOPIC = new byte[0];

    private final String topic;
    private final byte[] topicUtf8;
    private final int qos;
    private final boolean retain;
    private final ByteBuf payload;
    private final @Nullable String origin;
    /** The MQTT 5 properties forwarded to subscribers, encoded ({@link MessagePropertyCodec}); often empty. */
    private final byte[] properties;
    /** When it expires, in epoch milliseconds; 0 for never. */
    private final long expiresAt;
    /** Who published it, for {@code check_retain_source}; null for the broker's own messages. */
    private final @Nullable Publisher publisher;

    private @Nullable ByteBuf qos0Live;
    private @Nullable ByteBuf qos0Retained;

    private PublishedMessage(
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            @Nullable String origin,
            byte[] properties,
            long expiresAt,
            @Nullable Publisher publisher) {
        this.topic = topic;
        this.topicUtf8 = topic.getBytes(StandardCharsets.UTF_8);
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.origin = origin;
        this.properties = properties;
        this.expiresAt = expiresAt;
        this.publisher = publisher;
    }

    /**
     * A message that takes over one reference to {@code payload}.
     *
     * @param origin the client id of the publisher; null for the broker itself ($SYS) and for wills of gone clients
     */
    public static PublishedMessage of(String topic, int qos, boolean retain, ByteBuf payload, @Nullable String origin) {
        return new PublishedMessage(topic, qos, retain, payload, origin, NO_PROPERTIES, 0, null);
    }

    /**
     * A message with MQTT 5 properties, taking over one reference to {@code payload}.
     *
     * @param properties the properties forwarded to subscribers, encoded ({@link MessagePropertyCodec#forwarded})
     * @param expiresAt when it expires, in epoch milliseconds; 0 for never
     */
    public static PublishedMessage of(
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            @Nullable String origin,
            byte[] properties,
            long expiresAt) {
        return new PublishedMessage(topic, qos, retain, payload, origin, properties, expiresAt, null);
    }

    /**
     * A message as {@link #of(String, int, boolean, ByteBuf, String, byte[], long)} makes it, with who published it,
     * kept for {@code check_retain_source} when it is retained.
     */
    public static PublishedMessage of(
            String topic,
            int qos,
            boolean retain,
            ByteBuf payload,
            @Nullable String origin,
            byte[] properties,
            long expiresAt,
            @Nullable Publisher publisher) {
        return new PublishedMessage(topic, qos, retain, payload, origin, properties, expiresAt, publisher);
    }

    /** Who published it, for {@code check_retain_source}; null for the broker's own messages and unknown sources. */
    public @Nullable Publisher publisher() {
        return publisher;
    }

    /** The encoded MQTT 5 properties forwarded to subscribers (not to be changed); empty when it has none. */
    public byte[] properties() {
        return properties;
    }

    /** When it expires, in epoch milliseconds; 0 for never. */
    public long expiresAt() {
        return expiresAt;
    }

    /** Whether its message expiry interval has passed: it is never delivered then (MQTT 5 section 3.3.2.3.3). */
    public boolean expired(long nowMillis) {
        return expiresAt != 0 && nowMillis >= expiresAt;
    }

    /** The seconds it has left, as a delivery carries them (rounded up), or -1 when it never expires. */
    public long secondsLeft(long nowMillis) {
        return expiresAt == 0 ? -1 : Math.max(0, (expiresAt - nowMillis + 999) / 1000);
    }

    /**
     * A new MQTT 5 PUBLISH packet of this message for one delivery, as a buffer the caller owns.
     *
     * @param subscriptionIds the identifiers of the subscriptions it matched, or null
     */
    public ByteBuf encoded5(
            ByteBufAllocator alloc,
            int qos,
            boolean retainFlag,
            boolean dup,
            int packetId,
            int @Nullable [] subscriptionIds,
            long nowMillis) {
        return encoded5(
                alloc,
                qos,
                retainFlag,
                dup,
                packetId,
                subscriptionIds,
                nowMillis,
                PublishEncoder.NO_TOPIC_ALIAS,
                false);
    }

    /**
     * A new MQTT 5 PUBLISH packet of this message with a topic alias: with the topic when the alias is new to the
     * client, without it ({@code topicOmitted}) when the client has it already.
     */
    public ByteBuf encoded5(
            ByteBufAllocator alloc,
            int qos,
            boolean retainFlag,
            boolean dup,
            int packetId,
            int @Nullable [] subscriptionIds,
            long nowMillis,
            int topicAlias,
            boolean topicOmitted) {
        return PublishEncoder.encode5(
                alloc,
                topicOmitted ? NO_TOPIC : topicUtf8,
                payload,
                qos,
                retainFlag,
                dup,
                packetId,
                properties,
                secondsLeft(nowMillis),
                subscriptionIds,
                topicAlias);
    }

    /** The size of the MQTT 5 packet {@link #encoded5} with a topic alias would make. */
    public long size5(int qos, int @Nullable [] subscriptionIds, long nowMillis, int topicAlias, boolean topicOmitted) {
        return PublishEncoder.size5(
                topicOmitted ? NO_TOPIC : topicUtf8,
                payload.readableBytes(),
                qos,
                properties,
                secondsLeft(nowMillis),
                subscriptionIds,
                topicAlias);
    }

    /** The size of the MQTT 5 packet {@link #encoded5} would make. */
    public long size5(int qos, int @Nullable [] subscriptionIds, long nowMillis) {
        return PublishEncoder.size5(
                topicUtf8, payload.readableBytes(), qos, properties, secondsLeft(nowMillis), subscriptionIds);
    }

    public String topic() {
        return topic;
    }

    /**
     * A new PUBLISH packet of this message at QoS 1 or 2, as a buffer the caller owns: a small header of its own and
     * a large payload shared (a small one copied).
     */
    public ByteBuf encoded(ByteBufAllocator alloc, int qos, boolean retainFlag, boolean dup, int packetId) {
        return PublishEncoder.encode(alloc, topicUtf8, payload, qos, retainFlag, dup, packetId);
    }

    public int qos() {
        return qos;
    }

    /** Whether it was published with RETAIN=1. */
    public boolean publishedRetained() {
        return retain;
    }

    /** The payload, not retained for the caller: read it while holding a reference to this message. */
    public ByteBuf payload() {
        return payload;
    }

    public int payloadSize() {
        return payload.readableBytes();
    }

    public @Nullable String origin() {
        return origin;
    }

    /**
     * The whole QoS 0 PUBLISH packet of this message, with the RETAIN flag given, as a new reference for the caller to
     * write: the bytes are encoded once and shared.
     */
    public ByteBuf encodedQos0(ByteBufAllocator alloc, boolean retainFlag) {
        synchronized (this) {
            ByteBuf shared = retainFlag ? qos0Retained : qos0Live;
            if (shared == null) {
                shared = PublishEncoder.encode(alloc, topicUtf8, payload, 0, retainFlag, false, 0);
                if (retainFlag) {
                    qos0Retained = shared;
                } else {
                    qos0Live = shared;
                }
            }
            return shared.retainedDuplicate();
        }
    }

    @Override
    protected void deallocate() {
        payload.release();
        ByteBuf live = qos0Live;
        if (live != null) {
            live.release();
        }
        ByteBuf retained = qos0Retained;
        if (retained != null) {
            retained.release();
        }
    }

    @Override
    public ReferenceCounted touch(@Nullable Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "PublishedMessage[" + topic + ", q" + qos + (retain ? ", r" : "") + ", " + payload.readableBytes()
                + " bytes]";
    }
}
