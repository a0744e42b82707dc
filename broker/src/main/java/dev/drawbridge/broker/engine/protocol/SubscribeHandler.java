package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE (MQTT 3.1.1 section 3.8): every valid filter is granted unless a plugin refuses it (READ is checked per
 * delivered message, as Mosquitto does); SUBACK goes out, then the matching retained messages, RETAIN=1, each checked
 * for READ.
 */
final class SubscribeHandler {

    private static final int REFUSED = 0x80;

    private SubscribeHandler() {}

    static void handle(Connection connection, Session session, MqttSubscribeMessage subscribe) {
        ProtocolContext context = connection.context;
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        List<Integer> codes = new ArrayList<>(requested.size());
        for (MqttTopicSubscription s : requested) {
            String filter = s.topicFilter();
            int qos = Math.min(s.qualityOfService().value(), 2);
            if (!context.policy().maySubscribe(connection.clientId, filter)) {
                codes.add(REFUSED);
                continue;
            }
            // No retained PUBLISH on a matching topic comes between the subscription and the read of the retained
            // messages: either this read sees it, or it is routed to the new subscription live, after the older one.
            context.retained().whileUnchanged(() -> {
                context.sessions().subscribe(session, filter, SubscriptionOptions.qos(qos));
                sendRetained(connection, session, filter, qos);
            });
            codes.add(qos);
        }
        // Written now, the SUBACK leaves before the retained messages just queued: the session writes those later.
        connection.link.writeWhenSaved(
                AckEncoder.subAck(
                        connection.link.alloc(), subscribe.variableHeader().messageId(), codes),
                context.store().saved());
    }

    private static void sendRetained(Connection connection, Session session, String filter, int grantedQos) {
        if (filter.startsWith("$share/")) {
            return; // shared subscriptions get no retained messages (MQTT 5 section 4.8.2)
        }
        List<PublishedMessage> matching = connection.context.retained().matching(filter);
        try {
            for (PublishedMessage message : matching) {
                int qos = Math.min(message.qos(), grantedQos);
                if (connection.context.policy().mayReceive(connection.clientId, message.topic(), qos, true)) {
                    session.offer(message, qos, true, true);
                }
            }
        } finally {
            matching.forEach(PublishedMessage::release); // every reference, even after a failure half-way
        }
    }
}
