package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.EngineSettings;
import dev.drawbridge.broker.engine.session.QueueLimits;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.engine.store.EngineStores;
import dev.drawbridge.broker.moquette.MoquetteCore;
import dev.drawbridge.broker.moquette.store.MessageStore;
import dev.drawbridge.broker.net.CorePipeline;
import dev.drawbridge.broker.net.RetainedDeliveries;
import dev.drawbridge.broker.security.DeliveryPolicy;
import dev.drawbridge.broker.sys.BrokerStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The MQTT core a broker runs on, either Moquette 0.17 or Drawbridge's own engine ({@link EngineChoice}), as the rest
 * of the broker sees it: the handlers it adds to every connection, {@code $SYS} figures, and a stop.
 */
interface BrokerCore extends AutoCloseable {

    CorePipeline pipeline(BrokerStats stats);

    /** Publishes a retained QoS 0 message from the broker itself ($SYS). */
    void publishRetained(String topic, String payload);

    long subscriptionCount();

    long sessionCount();

    long retainedCount();

    long droppedCount();

    /** Lets the core finish the work of connections that just closed. */
    void drain();

    @Override
    void close();

    /** Starts the chosen core, with its store in {@code dataPath} when the broker persists. */
    static BrokerCore start(
            EngineChoice.Kind kind,
            BrokerConfig config,
            Optional<Path> dataPath,
            DeliveryPolicy policy,
            RetainedDeliveries retained)
            throws IOException {
        return kind == EngineChoice.Kind.DRAWBRIDGE
                ? engine(config, dataPath, policy)
                : moquette(config, dataPath, policy, retained);
    }

    private static BrokerCore engine(BrokerConfig config, Optional<Path> dataPath, DeliveryPolicy policy)
            throws IOException {
        EngineStore store = dataPath.isPresent()
                ? EngineStores.open(
                        dataPath.get(),
                        config.persistence().durable(),
                        config.persistence().autosaveInterval())
                : EngineStores.inMemory();
        Engine engine;
        try {
            engine = Engine.start(
                    new EngineSettings(
                            new QueueLimits(
                                    config.maxInflightMessages(),
                                    config.maxQueuedMessages(),
                                    config.clientLimits().maxQueuedBytes()),
                            config.persistence().clientExpiration()),
                    store,
                    policy);
        } catch (RuntimeException e) {
            store.close();
            throw new IOException("cannot start the engine: " + e.getMessage(), e);
        }
        return new BrokerCore() {
            @Override
            public CorePipeline pipeline(BrokerStats stats) {
                return CorePipeline.engine(engine, stats);
            }

            @Override
            public void publishRetained(String topic, String payload) {
                engine.publishRetained(topic, payload);
            }

            @Override
            public long subscriptionCount() {
                return engine.subscriptionCount();
            }

            @Override
            public long sessionCount() {
                return engine.sessionCount();
            }

            @Override
            public long retainedCount() {
                return engine.retainedCount();
            }

            @Override
            public long droppedCount() {
                return engine.droppedCount();
            }

            @Override
            public void drain() {
                // Connections end on their own event loops before those stop: nothing is left to finish.
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    private static BrokerCore moquette(
            BrokerConfig config, Optional<Path> dataPath, DeliveryPolicy policy, RetainedDeliveries retained)
            throws IOException {
        MoquetteCore core = MoquetteCore.start(
                new MoquetteCore.Settings(
                        dataPath,
                        config.persistence().durable()
                                ? MessageStore.Durability.DURABLE
                                : MessageStore.Durability.AUTOSAVE,
                        config.persistence().autosaveInterval(),
                        config.persistence().clientExpiration(),
                        config.allowZeroLengthClientId(),
                        config.maxQueuedMessages(),
                        config.clientLimits().maxQueuedBytes()),
                retained,
                policy);
        return new BrokerCore() {
            @Override
            public CorePipeline pipeline(BrokerStats stats) {
                return CorePipeline.moquette(core.handler(), core::newStoreHandler, MoquetteCore::isConnected);
            }

            @Override
            public void publishRetained(String topic, String payload) {
                core.publishRetained(topic, payload);
            }

            @Override
            public long subscriptionCount() {
                return core.subscriptionCount();
            }

            @Override
            public long sessionCount() {
                return core.sessionCount();
            }

            @Override
            public long retainedCount() {
                return core.retainedCount();
            }

            @Override
            public long droppedCount() {
                return core.droppedCount();
            }

            @Override
            public void drain() {
                core.drain();
            }

            @Override
            public void close() {
                core.close();
            }
        };
    }
}
