package io.moquette.broker;

import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.BrokerInterceptor;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Moquette's post office with one fix: a QoS 0 PUBLISH with RETAIN=1 and a payload replaces the retained message, as
 * the MQTT spec and Mosquitto say (Moquette 0.17 only clears the slot, upstream issue 845); and one hook: retained
 * messages sent on SUBSCRIBE pass a {@link RetainedSelector} that knows the subscriber (Moquette's retained store is
 * asked by filter only).
 */
final class DrawbridgePostOffice extends PostOffice {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DrawbridgePostOffice.class);

    /** The subscriber whose SUBSCRIBE this session loop thread is handling. */
    private static final ThreadLocal<String> SUBSCRIBER = new ThreadLocal<>();

    private final IRetainedRepository retained;

    DrawbridgePostOffice(
            ISubscriptionsDirectory subscriptions,
            IRetainedRepository retained,
            SessionRegistry sessions,
            BrokerInterceptor interceptor,
            Authorizator authorizator,
            SessionEventLoopGroup loops,
            RetainedSelector selector) {
        super(subscriptions, new SelectingRetained(retained, selector), sessions, interceptor, authorizator, loops);
        this.retained = retained;
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
            Topic topic = new Topic(will.topic);
            if (copy.payload().isReadable()) {
                retained.retain(topic, copy);
            } else {
                retained.cleanRetained(topic);
            }
        } catch (RuntimeException e) {
            // Never into the session loop (Moquette 0.17 loses the loop and every client on it).
            LOG.warn("Storing the retained will on {} failed: {}", will.topic, e.toString());
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
