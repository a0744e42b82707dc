package dev.drawbridge.broker.engine.watch;

import dev.drawbridge.broker.engine.protocol.Connection;
import dev.drawbridge.broker.engine.session.ClientLink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One in-process subscription: an MQTT 5 client of the engine with a clean session, subscribed to one filter at QoS 0
 * without the retained messages (a live view shows what is published from now on). Its deliveries are queued, checked
 * for READ and dropped when its queue is full exactly as a network subscriber's are; they are decoded on the watch's
 * own executor, never on a publisher's. Closing it ends the session and its subscription.
 */
public final class TopicWatch implements AutoCloseable {

    /** What the watch tells its owner, on the watch's executor. */
    public interface Listener {
        void message(WatchedMessage message);

        /** The SUBACK: whether the rules let the subscription in (only a plugin refuses a valid filter). */
        void subscribed(boolean granted);

        /** The engine ended the watch's connection (a client took its id over, the broker stops). */
        void ended();
    }

    private final Link link;

    private TopicWatch(Link link) {
        this.link = link;
    }

    /**
     * Connects as {@code clientId} and subscribes to {@code filter}, on {@code executor}.
     *
     * @param connections the engine's {@code newConnection}
     * @param previewBytes how much of each payload is copied out
     */
    public static TopicWatch start(
            Function<ClientLink, Connection> connections,
            String clientId,
            String filter,
            EventExecutor executor,
            int previewBytes,
            Listener listener) {
        TopicWatch watch = new TopicWatch(new Link(executor, previewBytes, listener));
        executor.execute(() -> {
            if (watch.link.closed) {
                return;
            }
            Connection connection = connections.apply(watch.link);
            watch.link.connection = connection;
            connection.onPacket(MqttMessageBuilders.connect()
                    .protocolVersion(MqttVersion.MQTT_5)
                    .clientId(clientId)
                    .cleanSession(true)
                    .keepAlive(0)
                    .properties(MqttProperties.NO_PROPERTIES)
                    .build());
            connection.onPacket(MqttMessageBuilders.subscribe()
                    .messageId(1)
                    .addSubscription(
                            filter,
                            new MqttSubscriptionOption(
                                    MqttQoS.AT_MOST_ONCE,
                                    false,
                                    false,
                                    MqttSubscriptionOption.RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE))
                    .build());
        });
        return watch;
    }

    /** Ends the session and its subscription; nothing reaches the listener afterwards. */
    @Override
    public void close() {
        try {
            link.executor.execute(link::end);
        } catch (RejectedExecutionException e) {
            link.closed = true; // the executor has stopped: so has the broker, and the session with it
        }
    }

    /** The engine's side of the watch: what it writes is decoded here, in order, on the watch's executor. */
    private static final class Link implements ClientLink {
        private final EventExecutor executor;
        private final int previewBytes;
        private final Listener listener;
        private volatile boolean closed;
        private @Nullable Connection connection;

        Link(EventExecutor executor, int previewBytes, Listener listener) {
            this.executor = executor;
            this.previewBytes = previewBytes;
            this.listener = listener;
        }

        @Override
        public Executor executor() {
            return executor;
        }

        @Override
        public boolean inEventLoop() {
            return executor.inEventLoop();
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void write(Object packet) {
            if (!executor.inEventLoop()) {
                try {
                    executor.execute(() -> write(packet));
                } catch (RejectedExecutionException e) {
                    ReferenceCountUtil.release(packet);
                }
                return;
            }
            try {
                if (!closed && packet instanceof ByteBuf bytes) {
                    read(bytes);
                }
            } finally {
                ReferenceCountUtil.release(packet); // a codec message (the CONNACK) needs nothing from us
            }
        }

        private void read(ByteBuf bytes) {
            WatchedMessage message = PublishBytes.publish(bytes, previewBytes);
            if (message != null) {
                listener.message(message);
                return;
            }
            int code = PublishBytes.subAckCode(bytes);
            if (code >= 0) {
                listener.subscribed(code < PublishBytes.SUBACK_REFUSED);
            }
        }

        @Override
        public void writeWhenSaved(Object packet, CompletableFuture<Void> saved) {
            saved.whenComplete((ok, error) -> {
                if (error == null) {
                    write(packet);
                } else {
                    ReferenceCountUtil.release(packet);
                }
            });
        }

        @Override
        public void flush() {
            // Nothing is buffered: each packet was read as it was written.
        }

        @Override
        public boolean isWritable() {
            return true; // the owner bounds what it keeps and drops the rest; the engine never waits for it
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() {
            if (!executor.inEventLoop()) {
                executor.execute(this::close);
                return;
            }
            if (!closed) {
                listener.ended();
                end();
            }
        }

        /** The session ends with its subscription, as when a client's connection is lost. */
        void end() {
            if (closed) {
                return;
            }
            closed = true;
            Connection c = connection;
            if (c != null) {
                c.onClosed();
            }
        }

        @Override
        public void keepAlive(int seconds) {
            // In-process: no socket to watch.
        }

        @Override
        public int maxQos() {
            return 0;
        }

        @Override
        public String mountPoint() {
            return "";
        }

        @Override
        public String remote() {
            return "console";
        }
    }
}
