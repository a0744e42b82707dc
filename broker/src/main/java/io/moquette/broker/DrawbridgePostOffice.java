package io.moquette.broker;

import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.BrokerInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Moquette's post office with these fixes: a QoS 0 PUBLISH with RETAIN=1 and a payload replaces the retained message,
 * as the MQTT spec and Mosquitto say (Moquette 0.17 only clears the slot, upstream issue 845); a QoS 1/2 PUBLISH with
 * DUP=1 is routed like any other (Moquette routes it only to subscribers whose first routing failed, so after a
 * reconnect or a restart it acknowledged and dropped it); a duplicate QoS 2 packet id is answered with PUBREC and not
 * delivered again; and a retained QoS 1/2 message is stored before the PUBLISH is acknowledged, not after. And two
 * hooks: retained messages sent on SUBSCRIBE pass a {@link RetainedSelector} that knows the subscriber (Moquette's
 * retained store is asked by filter only), and QoS 1/2 messages for persistent sessions are told to the
 * {@link DeliveryLog} before they are routed.
 */
final class DrawbridgePostOffice extends PostOffice {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DrawbridgePostOffice.class);

    /** The subscriber whose SUBSCRIBE this session loop thread is handling. */
    private static final ThreadLocal<String> SUBSCRIBER = new ThreadLocal<>();

    /** The QoS 1/2 message this session loop thread is routing, for {@link LoggingDirectory}. */
    private static final ThreadLocal<Routing> ROUTING = new ThreadLocal<>();

    private record Routing(String topic, MqttQoS qos, ByteBuf payload) {}

    private final IRetainedRepository retained;
    private final SessionRegistry sessions;
    private final DeliveryLog deliveryLog;

    DrawbridgePostOffice(
            ISubscriptionsDirectory subscriptions,
            IRetainedRepository retained,
            SessionRegistry sessions,
            BrokerInterceptor interceptor,
            Authorizator authorizator,
            SessionEventLoopGroup loops,
            RetainedSelector selector,
            DeliveryLog deliveryLog) {
        this(
                new LoggingDirectory(subscriptions),
                retained,
                sessions,
                interceptor,
                authorizator,
                loops,
                selector,
                deliveryLog);
    }

    private DrawbridgePostOffice(
            LoggingDirectory subscriptions,
            IRetainedRepository retained,
            SessionRegistry sessions,
            BrokerInterceptor interceptor,
            Authorizator authorizator,
            SessionEventLoopGroup loops,
            RetainedSelector selector,
            DeliveryLog deliveryLog) {
        super(subscriptions, new SelectingRetained(retained, selector), sessions, interceptor, authorizator, loops);
        this.retained = retained;
        this.sessions = sessions;
        this.deliveryLog = deliveryLog;
        subscriptions.postOffice = this;
    }

    @Override
    RoutingResults receivedPublishQos1(
            MQTTConnection connection, Topic topic, String username, int messageID, MqttPublishMessage msg) {
        storeRetained(topic, msg);
        ROUTING.set(new Routing(topic.toString(), MqttQoS.AT_LEAST_ONCE, msg.payload()));
        try {
            return super.receivedPublishQos1(connection, topic, username, messageID, asFirstDelivery(msg));
        } finally {
            ROUTING.remove();
        }
    }

    @Override
    RoutingResults receivedPublishQos2(MQTTConnection connection, MqttPublishMessage msg, String username) {
        String clientId = connection.getClientId();
        int packetId = msg.variableHeader().packetId();
        Session session = sessions.retrieve(clientId);
        boolean persistent = session != null && !session.isClean();
        if (!deliveryLog.firstQos2Receipt(clientId, persistent, packetId)) {
            // Delivered already: answer again, deliver nothing (MQTT 3.1.1 section 4.3.3, method B).
            connection.sendPubRec(packetId);
            msg.release();
            return new RoutingResults(List.of(), List.of(), CompletableFuture.completedFuture(null));
        }
        Topic topic = new Topic(msg.variableHeader().topicName());
        storeRetained(topic, msg);
        ROUTING.set(new Routing(topic.toString(), MqttQoS.EXACTLY_ONCE, msg.payload()));
        try {
            RoutingResults routed = super.receivedPublishQos2(connection, asFirstDelivery(msg), username);
            if (!routed.isAllSuccess()) {
                // No PUBREC went out: the publisher sends it again, and it must then be routed.
                deliveryLog.qos2Released(clientId, packetId);
            }
            return routed;
        } finally {
            ROUTING.remove();
        }
    }

    /**
     * Stores (or clears) a retained QoS 1/2 message before routing, so that it is in the store before the
     * acknowledgement leaves; Moquette 0.17 stores it after sending PUBACK.
     */
    private void storeRetained(Topic topic, MqttPublishMessage msg) {
        if (!msg.fixedHeader().isRetain()) {
            return;
        }
        try {
            if (msg.payload().isReadable()) {
                retained.retain(topic, msg);
            } else {
                retained.cleanRetained(topic);
            }
        } catch (RuntimeException e) {
            // Never into the session loop (Moquette 0.17 loses the loop and every client on it).
            LOG.warn("Storing the retained message on {} failed: {}", topic, e.toString());
        }
    }

    /**
     * The message as Moquette must route it: RETAIN cleared (stored already, see {@link #storeRetained}) and DUP
     * cleared (a re-sent QoS 1 message goes to every subscriber again; QoS 2 duplicates were stopped above).
     */
    private static MqttPublishMessage asFirstDelivery(MqttPublishMessage msg) {
        MqttFixedHeader h = msg.fixedHeader();
        if (!h.isDup() && !h.isRetain()) {
            return msg;
        }
        return new MqttPublishMessage(
                new MqttFixedHeader(h.messageType(), false, h.qosLevel(), false, h.remainingLength()),
                msg.variableHeader(),
                msg.payload());
    }

    /** Called by {@link LoggingDirectory} with the subscribers a QoS 1/2 message is about to be routed to. */
    private void logQueued(Routing routing, List<Subscription> targets) {
        for (Subscription target : targets) {
            MqttQoS qos = lowerQosToTheSubscriptionDesired(target, routing.qos());
            if (qos == MqttQoS.AT_MOST_ONCE) {
                continue;
            }
            Session session = sessions.retrieve(target.getClientId());
            if (session != null && !session.isClean()) {
                deliveryLog.queued(target.getClientId(), routing.topic(), qos.value(), routing.payload());
            }
        }
    }

    @Override
    public void subscribeClientToTopics(
            MqttSubscribeMessage msg, String clientID, String username, MQTTConnection mqttConnection) {
        SUBSCRIBER.set(clientID);
        try {
            super.subscribeClientToTopics(msg, clientID, username, mqttConnection);
        } finally {
            SUBSCRIBER.remove();
        }
    }

    @Override
    CompletableFuture<Void> receivedPublishQos0(Topic topic, String username, String clientID, MqttPublishMessage msg) {
        if (!msg.fixedHeader().isRetain() || !msg.payload().isReadable()) {
            return super.receivedPublishQos0(topic, username, clientID, msg);
        }
        // super releases the message, and clears the slot once routed: keep a copy and store it after that.
        MqttPublishMessage copy = copyOf(msg);
        return super.receivedPublishQos0(topic, username, clientID, msg).whenComplete((ok, error) -> {
            try {
                retained.retain(topic, copy);
            } catch (RuntimeException e) {
                LOG.warn("Storing the retained message on {} failed: {}", topic, e.toString());
            } finally {
                copy.release();
            }
        });
    }

    /** A will with RETAIN=1 is stored like any retained message (Moquette 0.17 only routes it). */
    @Override
    public void fireWill(Session.Will will) {
        if (!will.retained) {
            super.fireWill(will);
            return;
        }
        MqttPublishMessage copy = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, will.qos, true, 0),
                new MqttPublishVariableHeader(will.topic, 0),
                Unpooled.copiedBuffer(will.payload));
        super.fireWill(will);
        try {
            storeRetained(new Topic(will.topic), copy);
        } finally {
            copy.release();
        }
    }

    @Override
    public RoutingResults internalPublish(MqttPublishMessage msg) {
        boolean storeQos0 = msg.fixedHeader().isRetain() && msg.payload().isReadable();
        MqttPublishMessage copy = storeQos0 ? copyOf(msg) : null;
        RoutingResults result = super.internalPublish(msg);
        if (copy != null) {
            try {
                retained.retain(new Topic(copy.variableHeader().topicName()), copy);
            } finally {
                copy.release();
            }
        }
        return result;
    }

    private static MqttPublishMessage copyOf(MqttPublishMessage msg) {
        MqttFixedHeader h = msg.fixedHeader();
        return new MqttPublishMessage(
                new MqttFixedHeader(h.messageType(), false, h.qosLevel(), true, h.remainingLength()),
                msg.variableHeader(),
                Unpooled.copiedBuffer(msg.payload()));
    }

    /**
     * The subscription directory as the post office sees it: the subscribers found for a QoS 1/2 message that is
     * being routed are told to the delivery log before the post office routes to them.
     */
    private static final class LoggingDirectory extends ForwardingSubscriptions {
        private @Nullable DrawbridgePostOffice postOffice;

        LoggingDirectory(ISubscriptionsDirectory directory) {
            super(directory);
        }

        @Override
        public List<Subscription> matchQosSharpening(Topic topic) {
            List<Subscription> found = directory.matchQosSharpening(topic);
            Routing routing = ROUTING.get();
            DrawbridgePostOffice office = postOffice;
            if (routing != null && office != null && !found.isEmpty()) {
                office.logQueued(routing, found);
            }
            return found;
        }
    }

    /** The retained store as the post office sees it: lookups by filter go through the selector. */
    private static final class SelectingRetained implements IRetainedRepository {
        private final IRetainedRepository store;
        private final RetainedSelector selector;

        SelectingRetained(IRetainedRepository store, RetainedSelector selector) {
            this.store = store;
            this.selector = selector;
        }

        @Override
        public void cleanRetained(Topic topic) {
            store.cleanRetained(topic);
        }

        @Override
        public void retain(Topic topic, MqttPublishMessage msg) {
            store.retain(topic, msg);
        }

        @Override
        public boolean isEmpty() {
            return store.isEmpty();
        }

        @Override
        public List<RetainedMessage> retainedOnTopic(String filter) {
            String subscriber = SUBSCRIBER.get();
            List<RetainedMessage> found = store.retainedOnTopic(filter);
            if (subscriber == null) {
                return found;
            }
            return found.stream()
                    .filter(m ->
                            selector.deliver(subscriber, filter, m.getTopic().toString(), m.getPayload()))
                    .collect(Collectors.toList());
        }
    }
}
