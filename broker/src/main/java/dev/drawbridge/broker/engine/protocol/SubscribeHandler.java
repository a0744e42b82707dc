package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.codec.AckEncoder;
import dev.drawbridge.broker.engine.codec.MessagePropertyCodec;
import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE (MQTT 3.1.1 section 3.8, MQTT 5 section 3.8): every valid filter is granted unless a plugin refuses it (READ
 * is checked per delivered message, as Mosquitto does); SUBACK goes out, then the matching retained messages, RETAIN=1,
 * each checked for READ. MQTT 5's subscription options are kept with the subscription (no local, retain as published,
 * the subscription identifier), and retain handling decides whether retained messages are sent: 0 always, 1 only for a
 * new subscription, 2 never. An MQTT 3.1.1 or 3.1 bridge's subscriptions get no local and retain as published.
 */
final class SubscribeHandler {

    private static final int REFUSED = 0x80;

    private SubscribeHandler() {}

    static void handle(Connection connection, Session session, MqttSubscribeMessage subscribe) {
        ProtocolContext context = connection.context;
        boolean v5 = connection.v5();
        int subscriptionId = 0;
        if (v5) {
            MqttProperties properties =
                    subscribe.idAndPropertiesVariableHeader().properties();
            subscriptionId = (int) MessagePropertyCodec.unsigned(properties, Properties5.SUBSCRIPTION_IDENTIFIER, 0);
        }
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        List<Integer> codes = new ArrayList<>(requested.size());
        for (MqttTopicSubscription s : requested) {
            String filter = s.topicFilter();
            MqttSubscriptionOption option = s.option();
            int qos = Math.min(option.qos().value(), 2);
            boolean shared = filter.startsWith("$share/");
            if (v5 && shared && option.isNoLocal()) {
                connection.protocolError("no local on the shared subscription '" + filter + "' (MQTT-3.8.3-4)");
                return;
            }
            if (!context.policy().maySubscribe(connection.clientId, filter)) {
                codes.add(v5 ? ReasonCodes.NOT_AUTHORIZED : REFUSED);
                continue;
            }
            SubscriptionOptions options = v5
                    ? new SubscriptionOptions(
                            qos,
                            option.isNoLocal(),
                            option.isRetainAsPublished(),
                            option.retainHandling().value(),
                            subscriptionId)
                    : connection.bridge ? SubscriptionOptions.bridge(qos) : SubscriptionOptions.qos(qos);
            // No retained PUBLISH on a matching topic comes between the subscription and the read of the retained
            // messages: either this read sees it, or it is routed to the new subscription live, after the older one.
            context.retained().whileUnchanged(() -> {
                boolean isNew = context.sessions().subscribe(session, filter, options);
                int handling = options.retainHandling();
                if (!shared && (handling == 0 || (handling == 1 && isNew))) {
                    sendRetained(connection, session, filter, options);
                }
            });
            codes.add(qos);
        }
        var alloc = connection.link.alloc();
        int packetId = subscribe.variableHeader().messageId();
        // Written now, the SUBACK leaves before the retained messages just queued: the session writes those later.
        connection.link.writeWhenSaved(
                v5 ? AckEncoder.subAck5(alloc, packetId, codes) : AckEncoder.subAck(alloc, packetId, codes),
                context.store().saved());
    }

    /**
     * {@code check_retain_source} (Mosquitto's retain.c): a retained message of a client goes out only while that
     * client may still write its topic; the broker's own, and one stored before publishers were kept, always do.
     */
    private static boolean sourceMayStillWrite(ProtocolContext context, PublishedMessage message) {
        Publisher publisher = message.publisher();
        return !context.checkRetainSource()
                || publisher == null
                || context.policy().publisherMayWrite(publisher, message.topic(), message.qos());
    }

    /** Shared subscriptions get no retained messages (MQTT 5 section 4.8.2): the caller does not call this for one. */
    private static void sendRetained(
            Connection connection, Session session, String filter, SubscriptionOptions options) {
        List<PublishedMessage> matching = connection.context.retained().matching(filter);
        int[] ids = options.subscriptionIdentifier() == 0 ? null : new int[] {options.subscriptionIdentifier()};
        try {
            for (PublishedMessage message : matching) {
                int qos = connection.context.router().deliveryQos(message.qos(), options.qos());
                if (connection.context.policy().mayReceive(connection.clientId, message.topic(), qos, true)
                        && sourceMayStillWrite(connection.context, message)) {
                    session.offer(message, qos, true, true, ids);
                }
            }
        } finally {
            matching.forEach(PublishedMessage::release); // every reference, even after a failure half-way
        }
    }
}
