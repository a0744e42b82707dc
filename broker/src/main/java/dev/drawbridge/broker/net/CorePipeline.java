package dev.drawbridge.broker.net;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How each connection reaches the MQTT core: the handlers the core adds to a pipeline around the front handler, and
 * whether it has accepted a channel's CONNECT (the front handler holds later packets until then).
 */
public interface CorePipeline {

    /** A new handler placed between the decoder and the front handler, if the core has one. */
    Optional<ChannelHandler> newBeforeFront();

    /** The handler placed last, after the front handler. */
    ChannelHandler newLast();

    boolean connected(Channel channel);

    /** Moquette 0.17: a shared handler, and its store's per-connection handler in front. */
    static CorePipeline moquette(
            ChannelHandler shared, Supplier<ChannelHandler> storeHandlers, Predicate<Channel> connected) {
        return new CorePipeline() {
            @Override
            public Optional<ChannelHandler> newBeforeFront() {
                return Optional.of(storeHandlers.get());
            }

            @Override
            public ChannelHandler newLast() {
                return shared;
            }

            @Override
            public boolean connected(Channel channel) {
                return connected.test(channel);
            }
        };
    }

    /** Drawbridge's own engine: one handler per connection, which is also the engine's link to it. */
    static CorePipeline engine(Engine engine, BrokerStats stats) {
        return new CorePipeline() {
            @Override
            public Optional<ChannelHandler> newBeforeFront() {
                return Optional.empty();
            }

            @Override
            public ChannelHandler newLast() {
                return new EngineChannelHandler(engine, stats);
            }

            @Override
            public boolean connected(Channel channel) {
                return EngineChannelHandler.accepted(channel);
            }
        };
    }
}
