package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sits right before Netty's MQTT decoder and lets only whole packets through that pass {@link FrameRules}, judged on
 * the raw bytes: Netty 4.1's decoder reads a field that runs past its packet out of the next packet, and what it
 * accepts should not be what decides. Bytes are gathered until a packet is complete (however TCP or WebSocket frames
 * cut them); the whole packets at hand go on as one slice of the buffer they arrived in. Only a packet cut across reads
 * is copied, into the gathering buffer, as in any Netty frame decoder; payloads are never read. The first packet that
 * breaks a rule stops the connection: the packets before it go on, then a {@link MalformedPacket} event, and nothing
 * more; the front handler logs it and closes. The CONNECT decides the rules of every packet after it: MQTT 3.1.1 and
 * 3.1 by {@link FrameRules}, MQTT 5 by {@link Mqtt5FrameRules} (so Netty's decoder, which reads an MQTT 5 properties
 * length of up to 256 MiB past the packet, only sees properties that fit). A CONNECT for another protocol or version
 * goes on alone and nothing after it: the front handler refuses that connection, and Netty's decoder gets no more
 * bytes to buffer (an undecodable one is closed by the CONNECT deadline). A bridge's CONNECT (level 0x84 or 0x83) goes
 * on with the bridge bit cleared, after a {@link BridgeConnect} event.
 *
 * <p>On a client connection ({@link #forConnection}) it also judges the first bytes by the {@link FirstPacketGuard}
 * before anything else, and tells the connection's {@link IdleCloser} when bytes arrive and when the connection closes:
 * one handler where there were three, on every read.
 */
final class FrameValidator extends ByteToMessageDecoder {

    private final int maxRemainingLength;
    /** The version the connection's CONNECT asked for; null until it has arrived. */
    private FrameRules.@Nullable Version version;

    private boolean refused;
    private @Nullable MalformedPacket pendingProblem;

    /** The connection's idle and CONNECT deadline watch; null for the rules alone (tests). */
    private final @Nullable IdleCloser idle;
    /** The first packet's header has passed the {@link FirstPacketGuard} (always, without one). */
    private boolean firstPacketJudged;

    /**
     * The frame rules alone.
     *
     * @param maxRemainingLength the largest remaining length accepted (from {@code max_packet_size})
     */
    FrameValidator(int maxRemainingLength) {
        this(maxRemainingLength, null);
    }

    private FrameValidator(int maxRemainingLength, @Nullable IdleCloser idle) {
        this.maxRemainingLength = maxRemainingLength;
        this.idle = idle;
        this.firstPacketJudged = idle == null;
    }

    /** The validator of a client connection: the first packet guard, the frame rules, and reads noted for {@code idle}. */
    static FrameValidator forConnection(int maxRemainingLength, IdleCloser idle) {
        return new FrameValidator(maxRemainingLength, idle);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (idle != null) {
            idle.read();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (idle != null) {
            idle.readComplete();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (idle != null) {
            idle.closed();
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (idle != null) {
            idle.closed();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!firstPacketJudged) {
            int verdict = FirstPacketGuard.judge(in, ctx.channel());
            if (verdict == FirstPacketGuard.NEED_MORE) {
                return; // gathered until the header is whole
            }
            if (verdict == FirstPacketGuard.REFUSE) {
                refused = true;
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            firstPacketJudged = true;
        }
        if (pendingProblem != null) {
            // The packets before the bad one have gone on; now the refusal.
            refuse(ctx, in, pendingProblem);
            return;
        }
        if (version == FrameRules.Version.OTHER) {
            // The front handler has answered a decodable CONNECT and closed; more bytes mean one Netty could not
            // decode, waiting for properties past its packet.
            refuse(
                    ctx,
                    in,
                    MalformedPacket.malformed("bytes after a CONNECT of another protocol version, before its answer"));
            return;
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        int at = start;
        MalformedPacket problem = null;
        while (at < end) {
            int first = in.getUnsignedByte(at);
            boolean mqtt5 = version == FrameRules.Version.MQTT_5;
            problem = mqtt5 ? Mqtt5FrameRules.header(first) : FrameRules.header(first);
            if (problem != null) {
                break;
            }
            int length = 0;
            int shift = 0;
            int i = at + 1;
            boolean lengthComplete = false;
            while (i < end) {
                int digit = in.getUnsignedByte(i++);
                length |= (digit & 0x7F) << shift;
                if ((digit & 0x80) == 0) {
                    lengthComplete = true;
                    break;
                }
                shift += 7;
                if (shift == 28) {
                    problem = MalformedPacket.malformed("remaining length longer than four bytes (MQTT-2.2.3)");
                    break;
                }
            }
            if (problem != null || !lengthComplete) {
                break;
            }
            if (length > maxRemainingLength) {
                problem = MalformedPacket.tooLarge("remaining length " + length + " over the limit of "
                        + maxRemainingLength + " (max_packet_size less the fixed header)");
                break;
            }
            if (end - i < length) {
                break; // the rest of this packet has not arrived yet
            }
            problem = mqtt5 ? Mqtt5FrameRules.body(first, in, i, length) : FrameRules.body(first, in, i, length);
            if (problem != null) {
                break;
            }
            at = i + length;
            if (first >> 4 == FrameRules.CONNECT && version == null) {
                version = FrameRules.version(in, i);
                if (version == FrameRules.Version.OTHER) {
                    break;
                }
                if (FrameRules.fromBridge(in, i)) {
                    // Netty's decoder gets the plain level; the front handler hears of the bit before the CONNECT.
                    int levelAt = FrameRules.levelIndex(in, i);
                    in.setByte(levelAt, in.getUnsignedByte(levelAt) & ~FrameRules.BRIDGE_BIT);
                    ctx.fireUserEventTriggered(BridgeConnect.EVENT);
                }
            }
        }
        if (at > start) {
            out.add(in.readRetainedSlice(at - start));
            pendingProblem = problem;
        } else if (problem != null) {
            refuse(ctx, in, problem);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, MalformedPacket problem) {
        refused = true;
        pendingProblem = null;
        in.skipBytes(in.readableBytes());
        ctx.fireUserEventTriggered(problem);
    }
}
