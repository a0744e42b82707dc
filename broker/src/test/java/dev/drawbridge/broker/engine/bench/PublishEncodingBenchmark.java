package dev.drawbridge.broker.engine.bench;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One PUBLISH fanned out to 50 subscribers: per operation a new message arrives, its 50 outgoing packets are made and
 * then released, as the socket would after writing them. The engine's encoding ({@link PublishedMessage}: the QoS 0
 * packet encoded once and shared, at QoS 1 a small header per delivery with the payload shared) against Netty's
 * {@link MqttEncoder} (an exact-size buffer per delivery with the payload copied in). All buffers come from {@link
 * PooledByteBufAllocator#DEFAULT}, so {@code -prof gc} counts the heap objects per operation, not the pooled memory.
 * {@link #setUp} checks that both encoders produce the same bytes. Run by hand (never by the build):
 *
 * <pre>
 * mvn -q -o -pl broker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp broker/target/test-classes:broker/target/classes:$(cat broker/target/cp.txt) org.openjdk.jmh.Main \
 *     PublishEncodingBenchmark -wi 2 -i 3 -f 1 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishEncodingBenchmark {

    static final int SUBSCRIBERS = 50;
    private static final String TOPIC = "home/livingroom/sensor/temperature";
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Param({"64", "1024"})
    public int payloadSize;

    private ByteBuf payload;
    private final ByteBuf[] out = new ByteBuf[SUBSCRIBERS];
    private final Object[] nettyMessages = new Object[SUBSCRIBERS];
    /** The encoder's own context, with {@link Capture} as the next outbound handler towards the head. */
    private ChannelHandlerContext encoderContext;

    private EmbeddedChannel directChannel;
    private EmbeddedChannel pipelineChannel;
    private final Capture capture = new Capture();

    /** Takes what {@link MqttEncoder} writes, instead of a socket. */
    final class Capture extends ChannelOutboundHandlerAdapter {
        int next;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            out[next++] = (ByteBuf) msg;
        }
    }

    @Setup
    public void setUp() throws Exception {
        payload = ALLOC.buffer(payloadSize);
        for (int i = 0; i < payloadSize; i++) {
            payload.writeByte('0' + i % 10);
        }
        directChannel = new EmbeddedChannel(capture, MqttEncoder.INSTANCE);
        directChannel.config().setAllocator(ALLOC);
        encoderContext = directChannel.pipeline().context(MqttEncoder.INSTANCE);
        pipelineChannel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        pipelineChannel.config().setAllocator(ALLOC);

        PublishedMessage message = PublishedMessage.of(TOPIC, 1, false, payload.retainedDuplicate(), "publisher");
        try {
            requireSameBytes("QoS 0", message.encodedQos0(ALLOC, false), nettyEncode(MqttQoS.AT_MOST_ONCE, 0));
            requireSameBytes(
                    "QoS 1", message.encoded(ALLOC, 1, false, false, 7), nettyEncode(MqttQoS.AT_LEAST_ONCE, 7));
        } finally {
            message.release();
        }
    }

    private ByteBuf nettyEncode(MqttQoS qos, int packetId) throws Exception {
        capture.next = 0;
        MqttEncoder.INSTANCE.write(encoderContext, nettyPublish(qos, packetId), directChannel.voidPromise());
        return out[0];
    }

    private static void requireSameBytes(String what, ByteBuf engine, ByteBuf netty) {
        try {
            if (!ByteBufUtil.equals(engine, netty)) {
                throw new IllegalStateException(what + ": expected Netty's " + ByteBufUtil.hexDump(netty)
                        + " but the engine encoded " + ByteBufUtil.hexDump(engine));
            }
        } finally {
            engine.release();
            netty.release();
        }
    }

    private MqttPublishMessage nettyPublish(MqttQoS qos, int packetId) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(TOPIC, packetId),
                payload.retainedDuplicate());
    }

    @TearDown
    public void tearDown() {
        directChannel.finishAndReleaseAll();
        pipelineChannel.finishAndReleaseAll();
        if (payload.refCnt() != 1) {
            throw new IllegalStateException(
                    "expected the payload's reference count back at 1 but found " + payload.refCnt());
        }
        payload.release();
    }

    /** The sizes of the packets, then each released: what the socket does once it has written them. */
    private long releaseAll() {
        long bytes = 0;
        for (int i = 0; i < SUBSCRIBERS; i++) {
            bytes += out[i].readableBytes();
            out[i].release();
        }
        return bytes;
    }

    /** (a) QoS 0: the packet encoded on first use, then a retained duplicate of it per subscriber. */
    @Benchmark
    public long engineQos0Shared() {
        PublishedMessage message = PublishedMessage.of(TOPIC, 0, false, payload.retainedDuplicate(), "publisher");
        for (int i = 0; i < SUBSCRIBERS; i++) {
            out[i] = message.encodedQos0(ALLOC, false);
        }
        message.release();
        return releaseAll();
    }

    /** (b) QoS 1: a header buffer per subscriber (own packet id) in a composite with the payload shared. */
    @Benchmark
    public long engineQos1HeaderAndSharedPayload() {
        PublishedMessage message = PublishedMessage.of(TOPIC, 1, false, payload.retainedDuplicate(), "publisher");
        for (int i = 0; i < SUBSCRIBERS; i++) {
            out[i] = message.encoded(ALLOC, 1, false, false, i + 1);
        }
        message.release();
        return releaseAll();
    }

    /** (c0) QoS 0 through Netty's encoder, called as in (c): what (a) replaces. */
    @Benchmark
    public long nettyMqttEncoderQos0() throws Exception {
        capture.next = 0;
        for (int i = 0; i < SUBSCRIBERS; i++) {
            MqttEncoder.INSTANCE.write(
                    encoderContext, nettyPublish(MqttQoS.AT_MOST_ONCE, 0), directChannel.voidPromise());
        }
        return releaseAll();
    }

    /**
     * (c) QoS 1 through Netty's encoder, called as the pipeline would call it (its {@code write}, on its own context),
     * with the encoded buffer taken by the next handler: the encoder's cost without the channel's.
     */
    @Benchmark
    public long nettyMqttEncoderQos1() throws Exception {
        capture.next = 0;
        for (int i = 0; i < SUBSCRIBERS; i++) {
            MqttEncoder.INSTANCE.write(
                    encoderContext, nettyPublish(MqttQoS.AT_LEAST_ONCE, i + 1), directChannel.voidPromise());
        }
        return releaseAll();
    }

    /** (c') The same through an {@link EmbeddedChannel}: writeOutbound, then readOutbound per packet. */
    @Benchmark
    public long nettyMqttEncoderQos1EmbeddedChannel() {
        for (int i = 0; i < SUBSCRIBERS; i++) {
            nettyMessages[i] = nettyPublish(MqttQoS.AT_LEAST_ONCE, i + 1);
        }
        pipelineChannel.writeOutbound(nettyMessages);
        for (int i = 0; i < SUBSCRIBERS; i++) {
            out[i] = pipelineChannel.readOutbound();
        }
        return releaseAll();
    }
}
