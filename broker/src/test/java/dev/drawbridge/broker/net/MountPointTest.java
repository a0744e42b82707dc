package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.codec.PublishEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code mount_point}: filters mounted as Mosquitto does (shared ones kept shared), deliveries unmounted byte-exact. */
class MountPointTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final MountPoint MNT = new MountPoint("mnt/");

    @Test
    void filtersGetThePrefixAndASharedSubscriptionStaysShared() {
        assertThat(MNT.mountFilter("f/#")).isEqualTo("mnt/f/#");
        assertThat(MNT.mountFilter("#")).isEqualTo("mnt/#");
        assertThat(MNT.mountFilter("$share/g/f/+")).isEqualTo("$share/g/mnt/f/+");
        assertThat(MNT.mount("t")).isEqualTo("mnt/t");
    }

    @Test
    void aDeliveryLosesThePrefixAndKeepsEverythingElse() {
        ByteBuf payload = Unpooled.copiedBuffer("on", StandardCharsets.UTF_8);
        ByteBuf packet = PublishEncoder.encode(ALLOC, bytes("mnt/home/light"), payload, 1, true, false, 7);

        ByteBuf out = (ByteBuf) MNT.unmount(packet, ALLOC);

        assertThat(ByteBufUtil.hexDump(out))
                .isEqualTo(
                        "33" // PUBLISH QoS 1 RETAIN
                                + "10" // remaining length 16: topic 2 + 10, packet id 2, payload 2
                                + "000a" + HexFormat.of().formatHex(bytes("home/light")) // topic without the prefix
                                + "0007" // packet id 7
                                + "6f6e"); // payload "on"
        out.release();
        payload.release();
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void aLongPacketsRemainingLengthIsRewritten() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[200]);
        ByteBuf packet = PublishEncoder.encode(ALLOC, bytes("mnt/t"), payload, 0, false, false, 0);

        ByteBuf out = (ByteBuf) MNT.unmount(packet, ALLOC);

        // 2 + 1 + 200 = 203 = 0xcb 0x01 as a variable byte integer (it was 207 before)
        assertThat(ByteBufUtil.hexDump(out, 0, 6)).isEqualTo("30cb01000174");
        assertThat(out.readableBytes()).isEqualTo(1 + 2 + 203);
        out.release();
        payload.release();
    }

    @Test
    void aTopicOutsideTheMountPointIsNotSentButOtherPacketsAre() {
        ByteBuf payload = Unpooled.copiedBuffer("x", StandardCharsets.UTF_8);
        ByteBuf outside = PublishEncoder.encode(ALLOC, bytes("other/t"), payload, 0, false, false, 0);
        ByteBuf parent = PublishEncoder.encode(ALLOC, bytes("mnt/"), payload, 0, false, false, 0);
        ByteBuf pingResp = Unpooled.wrappedBuffer(new byte[] {(byte) 0xd0, 0});

        assertThat(MNT.unmount(outside, ALLOC)).isNull();
        assertThat(MNT.unmount(parent, ALLOC)).isNull();
        assertThat(outside.refCnt()).isZero();
        assertThat(MNT.unmount(pingResp, ALLOC)).isSameAs(pingResp);
        assertThat(MountPoint.NONE.unmount(parent, ALLOC)).isSameAs(parent);
        pingResp.release();
        payload.release();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
