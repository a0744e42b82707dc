package dev.drawbridge.broker.engine.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class MessageFingerprintTest {

    private static ByteBuf text(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(UTF_8));
    }

    @Test
    void theSameTopicAndPayloadGiveTheSameFingerprintWhereverThePayloadStarts() {
        ByteBuf offset = Unpooled.wrappedBuffer("xxOPEN".getBytes(UTF_8));
        offset.readerIndex(2);

        assertThat(MessageFingerprint.of("door/cmd", offset))
                .isEqualTo(MessageFingerprint.of("door/cmd", text("OPEN")));
    }

    @Test
    void anotherTopicPayloadOrSplitBetweenThemGivesAnotherFingerprint() {
        long open = MessageFingerprint.of("door/cmd", text("OPEN"));

        assertThat(MessageFingerprint.of("door/cmd", text("CLOSE"))).isNotEqualTo(open);
        assertThat(MessageFingerprint.of("door/cm", text("dOPEN"))).isNotEqualTo(open);
        assertThat(MessageFingerprint.of("door/cmd", text("OPEN "))).isNotEqualTo(open);
        assertThat(MessageFingerprint.of("dóor/cmd", text("OPEN"))).isNotEqualTo(open);
    }

    /**
     * Stored with the packet id and compared after a restart: the function must not change between runs or versions
     * (a store written by another would take every re-sent message for a new one). Pinned value.
     */
    @Test
    void theFingerprintIsTheSameInEveryRun() {
        assertThat(MessageFingerprint.of("door/cmd", text("OPEN"))).isEqualTo(PINNED);
    }

    private static final long PINNED = 0x9e2e8cb145938bfdL;
}
