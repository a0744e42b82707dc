package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The validator in a pipeline of its own: what it passes on, in which pieces, and what it refuses. */
class FrameValidatorTest {

    private static final String CONNECT = """
            10 0d 0004 4d515454 04 02 003c 0001 68   # CONNECT 3.1.1, client id "h"
            """;
    private static final String SUBSCRIBE = """
            82 08 0001 0003 612f62 01                # SUBSCRIBE id 1, "a/b" QoS 1
            """;
    private static final String PUBLISH = """
            32 09 0003 612f62 0002 6869              # PUBLISH QoS 1 "a/b", id 2, "hi"
            """;
    private static final String BAD_TOPIC = """
            30 07 0003 61c0af 6869                   # PUBLISH QoS 0, topic "a" + overlong '/'
            """;

    /** Records the events that reach the end of the pipeline. */
    private static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    private final Events events = new Events();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameValidator(1024), events);
    private final List<ByteBuf> received = new ArrayList<>();

    @AfterEach
    void release() {
        received.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }

    /** What has come out of the validator so far, one hex string per message passed on. */
    private List<String> passedOn() {
        List<String> out = new ArrayList<>();
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            ByteBuf bytes = (ByteBuf) message;
            received.add(bytes);
            out.add(ByteBufUtil.hexDump(bytes));
        }
        return out;
    }

    private static String hex(String... packets) {
        StringBuilder out = new StringBuilder();
        for (String packet : packets) {
            out.append(ByteBufUtil.hexDump(Hex.bytes(packet)));
        }
        return out.toString();
    }

    @Test
    void packetsArrivingByteByByteGoOnWholeAndInOrder() {
        byte[] all = Hex.bytes(CONNECT + SUBSCRIBE + PUBLISH);
        List<String> out = new ArrayList<>();
        for (byte b : all) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            out.addAll(passedOn());
        }
        assertThat(out).containsExactly(hex(CONNECT), hex(SUBSCRIBE), hex(PUBLISH));
        assertThat(channel.isActive()).isTrue();
        assertThat(events.seen).isEmpty();
    }

    @Test
    void thePacketsOfOneReadGoOnAsOneSliceOfTheSameMemory() {
        ByteBuf read = Hex.buffer(CONNECT + SUBSCRIBE + PUBLISH + "c0"); // and the first byte of a PINGREQ
        byte[] memory = read.array();
        channel.writeInbound(read);
        Object message = channel.readInbound();
        assertThat(message).isInstanceOf(ByteBuf.class);
        ByteBuf slice = (ByteBuf) message;
        received.add(slice);
        assertThat(ByteBufUtil.hexDump(slice)).isEqualTo(hex(CONNECT, SUBSCRIBE, PUBLISH));
        assertThat(slice.hasArray() && slice.array() == memory)
                .as("the packets are passed on without being copied")
                .isTrue();
        channel.writeInbound(Hex.buffer("00")); // the PINGREQ's remaining length
        assertThat(passedOn()).containsExactly("c000");
    }

    @Test
    void packetsBeforeABadOneGoOnThenTheConnectionIsRefused() {
        ByteBuf read = Hex.buffer(CONNECT + SUBSCRIBE + BAD_TOPIC + PUBLISH);
        channel.writeInbound(read);
        assertThat(passedOn()).containsExactly(hex(CONNECT, SUBSCRIBE));
        assertThat(events.seen)
                .containsExactly(MalformedPacket.malformed(
                        "PUBLISH topic: overlong encoding of U+002F at byte 1 (MQTT-1.5.3-1)"));
        channel.writeInbound(Hex.buffer(PUBLISH));
        assertThat(passedOn()).as("nothing after the refusal").isEmpty();
        received.forEach(ByteBuf::release);
        received.clear();
        assertThat(read.refCnt())
                .as("once the packets passed on are released, nothing holds the read")
                .isZero();
    }

    @Test
    void nothingAfterARefusalGoesOn() {
        channel.writeInbound(Hex.buffer(CONNECT));
        passedOn();
        // Split so that the bad packet completes in a read of its own.
        channel.writeInbound(Hex.buffer("30 07 0003"));
        channel.writeInbound(Hex.buffer("61c0af 6869" + PUBLISH));
        assertThat(passedOn()).isEmpty();
        assertThat(events.seen).hasSize(1);
    }

    @Test
    void aPacketOverTheLimitIsRefusedOnItsHeaderBeforeItsBodyArrives() {
        channel.writeInbound(Hex.buffer(CONNECT));
        passedOn();
        channel.writeInbound(Hex.buffer("""
                32 80 80 40      # PUBLISH QoS 1, remaining length 1,048,576
                0003 612f62      # topic "a/b", and nothing more
                """));
        assertThat(passedOn()).isEmpty();
        assertThat(events.seen)
                .containsExactly(MalformedPacket.tooLarge(
                        "remaining length 1048576 over the limit of 1024 (max_packet_size less the fixed header)"));
    }

    @Test
    void aRemainingLengthOfFiveBytesIsRefused() {
        channel.writeInbound(Hex.buffer(CONNECT));
        passedOn();
        channel.writeInbound(Hex.buffer("30 80 80 80 80 01"));
        assertThat(events.seen)
                .containsExactly(MalformedPacket.malformed("remaining length longer than four bytes (MQTT-2.2.3)"));
    }

    @Test
    void aBadFirstByteIsRefusedWithoutWaitingForTheLength() {
        channel.writeInbound(Hex.buffer(CONNECT));
        passedOn();
        channel.writeInbound(Hex.buffer("80")); // SUBSCRIBE with flags 0000, nothing else yet
        assertThat(events.seen)
                .containsExactly(MalformedPacket.malformed(
                        "SUBSCRIBE with fixed-header flags 0000, must be 0010 (MQTT-2.2.2-2)"));
    }

    @Test
    void aConnectOfAnotherVersionGoesOnAloneAndNothingAfterIt() {
        String v6Connect = """
                10 0d 0004 4d515454 06 02 003c 0001 68      # CONNECT level 6, client id "h"
                """;
        channel.writeInbound(Hex.buffer(v6Connect + SUBSCRIBE));
        channel.writeInbound(Hex.buffer(PUBLISH));
        // The front handler answers the CONNECT (0x01); Netty's decoder must not get bytes it cannot judge.
        assertThat(passedOn()).containsExactly(hex(v6Connect));
        assertThat(events.seen)
                .containsExactly(MalformedPacket.malformed(
                        "bytes after a CONNECT of another protocol version, before its answer"));
    }

    @Test
    void anMqtt5ConnectionIsJudgedByTheMqtt5Rules() {
        String v5Connect = """
                10 0e 0004 4d515454 05 02 003c 00 0001 68   # CONNECT level 5, no properties, client id "h"
                """;
        String v5Subscribe = """
                82 09 0001 00 0003 612f62 04   # SUBSCRIBE id 1, no properties, "a/b" with no-local
                """;
        String v5Publish = """
                30 0b 0003 612f62 03 230001 6869   # PUBLISH QoS 0 "a/b", topic alias 1, "hi"
                """;
        String v5Auth = "f0 00"; // AUTH, success: a packet type only MQTT 5 has
        channel.writeInbound(Hex.buffer(v5Connect + v5Subscribe + v5Publish + v5Auth));
        assertThat(passedOn()).containsExactly(hex(v5Connect, v5Subscribe, v5Publish, v5Auth));
        assertThat(events.seen).as("all four are MQTT 5 packets").isEmpty();
        // A topic alias given twice parses, and the spec calls it a Protocol Error.
        channel.writeInbound(Hex.buffer("""
                30 0e 0003 612f62 06 230001 230002 6869   # PUBLISH with two topic aliases
                """));
        assertThat(passedOn()).isEmpty();
        assertThat(events.seen)
                .containsExactly(
                        MalformedPacket.protocolError("topic alias (0x23) more than once in PUBLISH (MQTT 2.2.2.2)"));
    }

    @Test
    void aBridgesConnectGoesOnWithThePlainLevelAfterAnEvent() {
        String bridgeConnect = """
                10 0d 0004 4d515454 84 02 003c 0001 68      # CONNECT level 0x84 (3.1.1 from a bridge), client id "h"
                """;
        channel.writeInbound(Hex.buffer(bridgeConnect + SUBSCRIBE));
        // Netty's decoder refuses level 0x84: it gets level 4, the front handler the event.
        assertThat(passedOn()).containsExactly(hex(CONNECT, SUBSCRIBE));
        assertThat(events.seen).containsExactly(BridgeConnect.EVENT);
        channel.writeInbound(Hex.buffer("f0 00")); // AUTH: reserved type 15 in MQTT 3.1.1
        assertThat(events.seen)
                .as("the bridge's connection keeps the MQTT 3.1.1 rules")
                .containsExactly(
                        BridgeConnect.EVENT, MalformedPacket.malformed("reserved packet type 15 (MQTT-2.2.1)"));
    }

    @Test
    void aPlainConnectFiresNoBridgeEvent() {
        channel.writeInbound(Hex.buffer(CONNECT));
        assertThat(passedOn()).containsExactly(hex(CONNECT));
        assertThat(events.seen).isEmpty();
    }

    @Test
    void anMqtt3ConnectionKeepsTheMqtt3Rules() {
        channel.writeInbound(Hex.buffer(CONNECT));
        passedOn();
        channel.writeInbound(Hex.buffer("f0 00")); // AUTH: reserved type 15 in MQTT 3.1.1
        assertThat(passedOn()).isEmpty();
        assertThat(events.seen).containsExactly(MalformedPacket.malformed("reserved packet type 15 (MQTT-2.2.1)"));
    }
}
