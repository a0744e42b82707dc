package dev.drawbridge.broker.net;

import dev.drawbridge.broker.engine.topic.TopicFilters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A listener's {@code mount_point}, as Mosquitto applies it: the prefix is put before the topic of every PUBLISH, the
 * filter of every SUBSCRIBE and UNSUBSCRIBE and the will topic of the CONNECT that come through the listener (after
 * the topic limits are checked, before the ACL is asked: the rules see the mounted topic), and taken off the topic of
 * every PUBLISH sent to its clients. Topics outside the mount point are never sent to them.
 *
 * @param prefix the prefix; empty for none
 */
record MountPoint(String prefix) {

    static final MountPoint NONE = new MountPoint("");

    /** The mount point of this prefix; {@link #NONE}, shared by every connection, for the empty one. */
    static MountPoint of(String prefix) {
        return prefix.isEmpty() ? NONE : new MountPoint(prefix);
    }

    private static final String SHARE = "$share/";

    boolean isNone() {
        return prefix.isEmpty();
    }

    /** The topic as the broker knows it. */
    String mount(String topic) {
        return prefix + topic;
    }

    /**
     * A filter as the broker knows it. A shared subscription keeps its {@code $share/GROUP/} in front, so that it stays
     * one (Mosquitto 2.0 puts the prefix before {@code $share/} and so makes it an ordinary filter).
     */
    String mountFilter(String filter) {
        if (filter.startsWith(SHARE)) {
            int group = filter.indexOf('/', SHARE.length());
            if (group > 0) {
                return filter.substring(0, group + 1) + prefix + filter.substring(group + 1);
            }
        }
        return prefix + filter;
    }

    /** Whether a client of this listener may be sent a message on this topic: only one below its mount point. */
    boolean shows(String topic) {
        return TopicFilters.isBelowMountPoint(prefix, topic);
    }

    /** The packet with its topics mounted; the packet itself when it has none (or there is no mount point). */
    MqttMessage mount(MqttMessage message) {
        if (isNone()) {
            return message;
        }
        return switch (message.fixedHeader().messageType()) {
            case PUBLISH -> {
                MqttPublishMessage publish = (MqttPublishMessage) message;
                MqttPublishVariableHeader header = publish.variableHeader();
                yield new MqttPublishMessage(
                        publish.fixedHeader(),
                        new MqttPublishVariableHeader(
                                mount(header.topicName()), header.packetId(), header.properties()),
                        publish.payload());
            }
            case SUBSCRIBE -> {
                MqttSubscribeMessage subscribe = (MqttSubscribeMessage) message;
                List<MqttTopicSubscription> mounted = subscribe.payload().topicSubscriptions().stream()
                        .map(s -> new MqttTopicSubscription(mountFilter(s.topicFilter()), s.option()))
                        .toList();
                yield new MqttSubscribeMessage(
                        subscribe.fixedHeader(),
                        subscribe.idAndPropertiesVariableHeader(),
                        new MqttSubscribePayload(mounted));
            }
            case UNSUBSCRIBE -> {
                MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) message;
                List<String> mounted = unsubscribe.payload().topics().stream()
                        .map(this::mountFilter)
                        .toList();
                yield new MqttUnsubscribeMessage(
                        unsubscribe.fixedHeader(),
                        unsubscribe.idAndPropertiesVariableHeader(),
                        new MqttUnsubscribePayload(mounted));
            }
            case CONNECT -> {
                MqttConnectMessage connect = (MqttConnectMessage) message;
                MqttConnectPayload p = connect.payload();
                if (!connect.variableHeader().isWillFlag() || p.willTopic() == null) {
                    yield connect;
                }
                yield new MqttConnectMessage(
                        connect.fixedHeader(),
                        connect.variableHeader(),
                        new MqttConnectPayload(
                                p.clientIdentifier(),
                                p.willProperties(),
                                mount(p.willTopic()),
                                p.willMessageInBytes(),
                                p.userName(),
                                p.passwordInBytes()));
            }
            default -> message;
        };
    }

    /**
     * An encoded PUBLISH the engine sends to a client of this listener, with the prefix taken off its topic (a new
     * small header, the rest shared); any other packet as it is. Null, and the packet released, for a PUBLISH whose
     * topic is not below the mount point: it is not sent (the session drops such messages before it writes them, so
     * this is a second guard). A PUBLISH with an empty topic (an MQTT 5 topic alias) is sent as it is.
     */
    @Nullable
    Object unmount(Object packet, ByteBufAllocator alloc) {
        if (isNone()
                || !(packet instanceof ByteBuf buf)
                || !buf.isReadable()
                || (buf.getUnsignedByte(buf.readerIndex()) & 0xF0) != 0x30) {
            return packet;
        }
        int start = buf.readerIndex();
        int at = start + 1;
        int remaining = 0;
        int shift = 0;
        int b;
        do {
            b = buf.getUnsignedByte(at++);
            remaining |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        int topicLength = buf.getUnsignedShort(at);
        if (topicLength == 0) {
            return packet; // MQTT 5: a topic alias the client learnt from an earlier, unmounted PUBLISH
        }
        String topic = buf.toString(at + 2, topicLength, StandardCharsets.UTF_8);
        if (!shows(topic)) {
            buf.release();
            return null;
        }
        byte[] stripped = topic.substring(prefix.length()).getBytes(StandardCharsets.UTF_8);
        int rest = at + 2 + topicLength;
        int newRemaining = remaining - topicLength + stripped.length;
        ByteBuf header = alloc.buffer(1 + 4 + 2 + stripped.length);
        header.writeByte(buf.getUnsignedByte(start));
        int value = newRemaining;
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            header.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        header.writeShort(stripped.length);
        header.writeBytes(stripped);
        ByteBuf tail = buf.retainedSlice(rest, buf.writerIndex() - rest);
        buf.release();
        return alloc.compositeBuffer(2).addComponent(true, header).addComponent(true, tail);
    }
}
