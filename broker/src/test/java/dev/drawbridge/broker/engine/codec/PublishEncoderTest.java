package dev.drawbridge.broker.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PUBLISH is the same bytes whether its payload is copied into the packet (small) or shared (large), and encoding it
 * leaves the message's payload as it was.
 */
class PublishEncoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final byte[] TOPIC = "a/b".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "payload of {0} bytes")
    @ValueSource(ints = {1, 64, PublishEncoder.COPIED_PAYLOAD_MAX, PublishEncoder.COPIED_PAYLOAD_MAX + 1, 4000})
    void qos1PacketHasHeaderTopicIdAndPayloadInOrder(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 0x5a);
        ByteBuf payload = Unpooled.wrappedBuffer(body);
        int remaining = 2 + TOPIC.length + 2 + size;
        ByteBuf expected = Unpooled.buffer()
                .writeByte(0x32 | 0x08 | 0x01) // PUBLISH, DUP, QoS 1, RETAIN
                .writeBytes(remainingLength(remaining))
                .writeShort(TOPIC.length)
                .writeBytes(TOPIC)
                .writeShort(0x1234) // packet id
                .writeBytes(body);

        ByteBuf packet = PublishEncoder.encode(ALLOC, TOPIC, payload, 1, true, true, 0x1234);
        try {
            assertThat(ByteBufUtil.hexDump(packet)).isEqualTo(ByteBufUtil.hexDump(expected));
            assertThat(payload.readerIndex())
                    .as("the message's payload is not consumed")
                    .isZero();
            assertThat(payload.refCnt())
                    .as("shared only above %d bytes", PublishEncoder.COPIED_PAYLOAD_MAX)
                    .isEqualTo(size > PublishEncoder.COPIED_PAYLOAD_MAX ? 2 : 1);
        } finally {
            packet.release();
        }
        assertThat(payload.refCnt()).as("the packet gave back what it took").isEqualTo(1);
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @ValueSource(ints = {64, PublishEncoder.COPIED_PAYLOAD_MAX + 1})
    void mqtt5PacketPutsThePropertiesBeforeThePayload(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 0x33);
        ByteBuf payload = Unpooled.wrappedBuffer(body);
        int remaining = 2 + TOPIC.length + 1 + 5 + size;
        ByteBuf expected = Unpooled.buffer()
                .writeByte(0x30) // PUBLISH, QoS 0
                .writeBytes(remainingLength(remaining))
                .writeShort(TOPIC.length)
                .writeBytes(TOPIC)
                .writeByte(5) // properties length
                .writeByte(0x02) // message expiry interval
                .writeInt(30)
                .writeBytes(body);

        ByteBuf packet = PublishEncoder.encode5(
                ALLOC, TOPIC, payload, 0, false, false, 0, new byte[0], 30, null, PublishEncoder.NO_TOPIC_ALIAS);
        try {
            assertThat(ByteBufUtil.hexDump(packet)).isEqualTo(ByteBufUtil.hexDump(expected));
        } finally {
            packet.release();
        }
        assertThat(payload.refCnt()).isEqualTo(1);
    }

    private static ByteBuf remainingLength(int value) {
        ByteBuf out = Unpooled.buffer(4);
        RemainingLength.write(out, value);
        return out;
    }
}
