package dev.drawbridge.broker.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.EngineSettings;
import dev.drawbridge.broker.engine.protocol.Connection;
import dev.drawbridge.broker.engine.store.EngineStores;
import dev.drawbridge.broker.security.DeliveryPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One drain writes a batch of several queued messages, chained through the deliveries ({@code Outgoing.nextInBatch}):
 * on a real engine, with in-process connections whose writability the test sets, every message queued while the
 * subscriber's socket was full, or while its persistent session was offline, arrives in order, exactly once, in one
 * flush.
 */
class SessionDrainTest {

    private static final int MESSAGES = 5;

    /** Every subscriber may read everything: the READ check is not what this test is about. */
    private static final DeliveryPolicy EVERYONE_READS = (clientId, topic, qos, retain) -> true;

    private final List<Connection> connections = new ArrayList<>();
    private EventExecutor loop;
    private Engine engine;

    @BeforeEach
    void start() {
        loop = new DefaultEventExecutor();
        engine = Engine.start(
                new EngineSettings(new QueueLimits(20, 1000, 0), Optional.empty()),
                EngineStores.inMemory(),
                EVERYONE_READS);
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> connections.forEach(Connection::onClosed));
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        engine.close();
    }

    @Test
    void oneDrainWritesEveryMessageQueuedWhileTheSocketWasFullInOrderOnceInOneFlush() throws Exception {
        Client subscriber = connect("drain-sub", true);
        subscribe(subscriber, "drain/#");
        Client publisher = connect("drain-pub", true);

        subscriber.link.writable = false;
        publishAll(publisher);
        onLoop(() -> {}); // every drain the offers scheduled has run
        assertThat(subscriber.link.publishes())
                .as("nothing is written to a full socket")
                .isEmpty();
        int flushesBefore = subscriber.link.flushes.get();

        subscriber.link.writable = true;
        onLoop(subscriber.connection::onWritable);
        onLoop(() -> {});

        assertThat(subscriber.link.publishes()).extracting(Delivery::payload).containsExactly(expectedPayloads());
        assertThat(subscriber.link.publishes())
                .extracting(Delivery::packetId)
                .as("each a delivery of its own")
                .doesNotHaveDuplicates();
        assertThat(subscriber.link.flushes.get() - flushesBefore)
                .as("one drain: one flush for the batch")
                .isEqualTo(1);
    }

    @Test
    void oneDrainWritesEveryMessageQueuedForAnOfflinePersistentSessionInOrderOnce() throws Exception {
        Client first = connect("drain-persistent", false);
        subscribe(first, "drain/#");
        onLoop(first.connection::onClosed); // the connection is lost; the session stays
        Client publisher = connect("drain-pub", true);
        publishAll(publisher);
        onLoop(() -> {});
        assertThat(first.link.publishes())
                .as("nothing is written to a closed connection")
                .isEmpty();

        Client again = connect("drain-persistent", false);
        onLoop(() -> {}); // the drain the resumed session scheduled has run

        assertThat(again.link.connack().variableHeader().isSessionPresent()).isTrue();
        assertThat(again.link.publishes()).extracting(Delivery::payload).containsExactly(expectedPayloads());
        assertThat(again.link.publishes()).extracting(Delivery::packetId).doesNotHaveDuplicates();
    }

    private static String[] expectedPayloads() {
        String[] payloads = new String[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            payloads[i] = "m" + (i + 1);
        }
        return payloads;
    }

    private record Client(RecordingLink link, Connection connection) {}

    private Client connect(String clientId, boolean cleanSession) throws Exception {
        RecordingLink link = new RecordingLink(loop);
        Connection connection = engine.newConnection(link);
        connections.add(connection);
        onLoop(() -> connection.onPacket(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .cleanSession(cleanSession)
                .keepAlive(0)
                .build()));
        onLoop(() -> {});
        assertThat(link.connack().variableHeader().connectReturnCode().byteValue())
                .as("CONNACK of %s", clientId)
                .isZero();
        return new Client(link, connection);
    }

    private void subscribe(Client client, String filter) throws Exception {
        onLoop(() -> client.connection.onPacket(MqttMessageBuilders.subscribe()
                .messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, filter)
                .build()));
        onLoop(() -> {});
        assertThat(client.link.types()).as("SUBACK").contains(MqttMessageType.SUBACK);
    }

    /** MESSAGES QoS 1 messages, m1 first, each on its own topic below drain/. */
    private void publishAll(Client publisher) throws Exception {
        for (int i = 1; i <= MESSAGES; i++) {
            int n = i;
            onLoop(() -> {
                MqttPublishMessage publish = MqttMessageBuilders.publish()
                        .topicName("drain/" + n)
                        .qos(MqttQoS.AT_LEAST_ONCE)
                        .messageId(n)
                        .payload(Unpooled.copiedBuffer("m" + n, StandardCharsets.UTF_8))
                        .build();
                try {
                    publisher.connection.onPacket(publish);
                } finally {
                    publish.release();
                }
            });
        }
        onLoop(() -> {});
        assertThat(publisher.link.types().stream().filter(t -> t == MqttMessageType.PUBACK))
                .as("every PUBLISH acknowledged")
                .hasSize(MESSAGES);
    }

    /** Runs {@code task} on the connections' event loop and waits for it; tasks it schedules run after it. */
    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** A PUBLISH as the subscriber received it. */
    record Delivery(String topic, String payload, int packetId) {}

    /**
     * The engine's side of an in-process client connection on one event loop: what the engine writes is decoded as a
     * client's MQTT decoder would, in order; writable while the test says so.
     */
    private static final class RecordingLink implements ClientLink {
        private final EventExecutor loop;
        private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());
        private final List<MqttMessage> received = new ArrayList<>();
        volatile boolean writable = true;
        final AtomicInteger flushes = new AtomicInteger();
        private volatile boolean open = true;

        RecordingLink(EventExecutor loop) {
            this.loop = loop;
        }

        @Override
        public Executor executor() {
            return loop;
        }

        @Override
        public boolean inEventLoop() {
            return loop.inEventLoop();
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public synchronized void write(Object packet) {
            if (packet instanceof ByteBuf bytes) {
                decoder.writeInbound(bytes); // the decoder releases it
                for (Object decoded; (decoded = decoder.readInbound()) != null; ) {
                    received.add(copyOf((MqttMessage) decoded));
                }
            } else {
                received.add((MqttMessage) packet);
                ReferenceCountUtil.release(packet);
            }
        }

        /** A decoded PUBLISH holds a buffer: kept as a copy so that the decoder's can be released. */
        private static MqttMessage copyOf(MqttMessage message) {
            if (message instanceof MqttPublishMessage publish) {
                MqttPublishMessage copy = publish.copy();
                publish.release();
                return copy;
            }
            return message;
        }

        @Override
        public void writeWhenSaved(Object packet, CompletableFuture<Void> saved) {
            saved.thenRun(() -> loop.execute(() -> write(packet)));
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public void keepAlive(int seconds) {
            // In-process: no socket to watch.
        }

        @Override
        public int maxQos() {
            return 2;
        }

        @Override
        public String mountPoint() {
            return "";
        }

        @Override
        public String remote() {
            return "in-process test";
        }

        synchronized List<MqttMessageType> types() {
            return received.stream().map(m -> m.fixedHeader().messageType()).toList();
        }

        synchronized MqttConnAckMessage connack() {
            return received.stream()
                    .filter(MqttConnAckMessage.class::isInstance)
                    .map(MqttConnAckMessage.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no CONNACK, received " + types()));
        }

        synchronized List<Delivery> publishes() {
            List<Delivery> all = new ArrayList<>();
            for (MqttMessage m : received) {
                if (m instanceof MqttPublishMessage p) {
                    all.add(new Delivery(
                            p.variableHeader().topicName(),
                            p.content().toString(StandardCharsets.UTF_8),
                            p.variableHeader().packetId()));
                }
            }
            return all;
        }
    }
}
