package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The topic aliases the broker has set toward one connection of an MQTT 5 client (MQTT 5 section 3.3.2.3.4), set as
 * Mosquitto 2.1 sets them: first come, first served. The first topics sent get aliases 1, 2, ... up to the maximum
 * (the client's topic alias maximum, lowered to the listener's {@code max_topic_alias_broker}); the first PUBLISH of a
 * topic carries the topic and its new alias, later ones the alias and an empty topic. Once every alias is taken, other
 * topics go out in full; no alias is ever given to another topic. A new connection starts with none.
 *
 * <p>Unlike Mosquitto 2.1, an alias is only set by a PUBLISH that is sent: one too large for the client's maximum packet
 * size with the alias goes without it, so the client never sees an alias it was not told.
 *
 * <p>Used on the connection's event loop only, in the order its PUBLISH packets are written.
 */
final class TopicAliasesToClient {

    private final int maximum;
    private final Map<String, Integer> aliases = new HashMap<>();

    TopicAliasesToClient(int maximum) {
        if (maximum < 1 || maximum > 65_535) {
            throw new IllegalArgumentException("maximum must be 1 to 65535, found " + maximum);
        }
        this.maximum = maximum;
    }

    /** A new MQTT 5 PUBLISH packet for one delivery to this connection, with the topic's alias where it has one. */
    ByteBuf encode(
            ByteBufAllocator alloc,
            PublishedMessage message,
            int qos,
            boolean retainFlag,
            boolean dup,
            int packetId,
            int @Nullable [] subscriptionIds,
            long nowMillis,
            ClientProtocol peer) {
        String topic = message.topic();
        Integer known = aliases.get(topic);
        if (known != null && peer.takes(message.size5(qos, subscriptionIds, nowMillis, known, true))) {
            return message.encoded5(alloc, qos, retainFlag, dup, packetId, subscriptionIds, nowMillis, known, true);
        }
        if (known == null && aliases.size() < maximum) {
            int alias = aliases.size() + 1;
            if (peer.takes(message.size5(qos, subscriptionIds, nowMillis, alias, false))) {
                aliases.put(topic, alias);
                return message.encoded5(
                        alloc, qos, retainFlag, dup, packetId, subscriptionIds, nowMillis, alias, false);
            }
        }
        return message.encoded5(alloc, qos, retainFlag, dup, packetId, subscriptionIds, nowMillis);
    }
}
