package dev.drawbridge.broker.engine.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PUBLISH bytes one connection gets with topic aliases: first come, first served up to the maximum, as Mosquitto
 * 2.1 sets them, and never an alias in a packet the client's maximum packet size would not take.
 */
class TopicAliasesToClientTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final ClientProtocol NO_LIMIT = new ClientProtocol(5, 65_535, 0, 2);

    private final List<PublishedMessage> messages = new ArrayList<>();

    @AfterEach
    void release() {
        messages.forEach(PublishedMessage::release);
    }

    private PublishedMessage message(String topic) {
        PublishedMessage m = PublishedMessage.of(topic, 0, false, Unpooled.copiedBuffer("x", UTF_8), null);
        messages.add(m);
        return m;
    }

    private static String encode(TopicAliasesToClient aliases, PublishedMessage m, ClientProtocol peer) {
        ByteBuf packet = aliases.encode(ALLOC, m, 1, false, false, 7, null, 0, peer);
        try {
            return ByteBufUtil.hexDump(packet);
        } finally {
            packet.release();
        }
    }

    @Test
    void aTopicSentAgainGoesAsItsAliasAndTopicsBeyondTheMaximumInFull() {
        TopicAliasesToClient aliases = new TopicAliasesToClient(2);
        PublishedMessage a = message("t/a");
        PublishedMessage b = message("t/b");
        PublishedMessage c = message("t/c");

        assertThat(List.of(
                        encode(aliases, a, NO_LIMIT),
                        encode(aliases, a, NO_LIMIT),
                        encode(aliases, b, NO_LIMIT),
                        encode(aliases, c, NO_LIMIT),
                        encode(aliases, b, NO_LIMIT),
                        encode(aliases, c, NO_LIMIT)))
                .containsExactly(
                        // PUBLISH QoS 1, length 12 | topic "t/a" | packet id 7 | properties 3: topic alias 1 | "x"
                        "320c" + "0003742f61" + "0007" + "03" + "230001" + "78",
                        // length 9 | empty topic | packet id 7 | topic alias 1 | "x"
                        "3209" + "0000" + "0007" + "03" + "230001" + "78",
                        "320c" + "0003742f62" + "0007" + "03" + "230002" + "78", // "t/b" gets alias 2
                        "3209" + "0003742f63" + "0007" + "00" + "78", // "t/c" in full, no properties: none left
                        "3209" + "0000" + "0007" + "03" + "230002" + "78",
                        "3209" + "0003742f63" + "0007" + "00" + "78");
    }

    @Test
    void noAliasIsSetByAPacketTheClientWouldNotTakeWithIt() {
        TopicAliasesToClient aliases = new TopicAliasesToClient(2);
        PublishedMessage a = message("t/a");
        // 11 bytes: "t/a" in full without an alias fits, with one (14 bytes) it does not.
        ClientProtocol small = new ClientProtocol(5, 65_535, 11, 2);

        assertThat(encode(aliases, a, small)).isEqualTo("3209" + "0003742f61" + "0007" + "00" + "78");
        // Had the alias been set above, this one would go as the alias alone (11 bytes).
        assertThat(encode(aliases, a, NO_LIMIT)).isEqualTo("320c" + "0003742f61" + "0007" + "03" + "230001" + "78");
    }

    @Test
    void aKnownAliasOfATopicShorterThanItIsNotUsedWhereTheClientWouldNotTakeIt() {
        TopicAliasesToClient aliases = new TopicAliasesToClient(1);
        PublishedMessage t = message("t"); // 1 byte: its alias (3 bytes) makes the packet longer
        encode(aliases, t, NO_LIMIT);
        ClientProtocol small = new ClientProtocol(5, 65_535, 10, 1); // the topic in full: 9 bytes; the alias: 11

        assertThat(encode(aliases, t, small)).isEqualTo("3207" + "000174" + "0007" + "00" + "78");
    }
}
