package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ClientLimits;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.engine.EngineSettings;
import dev.drawbridge.broker.engine.session.QueueLimits;
import dev.drawbridge.broker.net.ListenerGroup;
import dev.drawbridge.broker.net.ListenerSettings;
import dev.drawbridge.broker.net.PendingConnections;
import dev.drawbridge.broker.net.TopicLimits;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.tls.ServerTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the engine and each listener are given from a {@link BrokerConfig}: the same at start and at every reload, so
 * a reloaded setting reaches them as a started one does.
 */
final class BrokerSettings {

    private BrokerSettings() {}

    static EngineSettings engine(BrokerConfig config) {
        return new EngineSettings(
                new QueueLimits(
                        config.maxInflightMessages(),
                        config.maxQueuedMessages(),
                        config.clientLimits().maxQueuedBytes()),
                config.persistence().clientExpiration(),
                config.delivery().upgradeOutgoingQos(),
                config.delivery().checkRetainSource());
    }

    static List<ListenerGroup.Spec> listeners(
            BrokerConfig config, BrokerSecurity security, List<Optional<ServerTls>> tls, PendingConnections pending) {
        List<ListenerGroup.Spec> specs = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            specs.add(listener(config, i, security, tls.get(i), pending));
        }
        return specs;
    }

    /** What connections to the listener at this position need, from {@code config}. */
    static ListenerGroup.Spec listener(
            BrokerConfig config, int i, BrokerSecurity security, Optional<ServerTls> tls, PendingConnections pending) {
        ClientLimits limits = config.clientLimits();
        TopicLimits topics = new TopicLimits(limits.maxTopicLength(), limits.maxTopicLevels());
        ListenerConfig listener = config.listeners().get(i);
        var settings = new ListenerSettings(
                listener.describe(),
                security.gate(i),
                config.maxKeepalive(),
                config.messageSizeLimit(),
                config.log().connectionMessages(),
                config.allowZeroLengthClientId(),
                limits.maxClientIdLength(),
                topics,
                pending,
                listener.admission().protocolLevels(),
                listener.admission().autoIdPrefix(),
                // Announced to MQTT 5 clients when it is set other than its default, as Mosquitto 2.0 does when
                // set.
                config.maxPacketSize() != BrokerConfig.DEFAULT_MAX_PACKET_SIZE ? config.maxPacketSize() : 0,
                listener.admission().maxTopicAlias(),
                config.retainAvailable(),
                listener.admission().mountPoint(),
                listener.admission().maxQos(),
                listener.admission().maxTopicAliasBroker());
        return new ListenerGroup.Spec(listener, settings, config.maxPacketSize(), tls);
    }
}
