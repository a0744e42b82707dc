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
 * more; the front handler logs it and closes. A CONNECT for another protocol version (MQTT 5, say) goes on alone and
 * nothing after
 * it: the front handler refuses that connection, and Netty's decoder, which reads an MQTT 5 properties length of up to
 * 256 MiB past the packet, gets no more bytes to buffer (an undecodable one is closed by the CONNECT deadline).
 */
final class FrameValidator extends ByteToMessageDecoder {

    private final int maxRemainingLength;
    private boolean connectSeen;
    private boolean mqtt5;
    private boolean afterForeignConnect;
    private boolean refused;
    private @Nullable String pendingProblem;

    /** @param maxRemainingLength the largest remaining length accepted (from {@code max_packet_size}) */
    FrameValidator(int maxRemainingLength) {
        this.maxRemainingLength = maxRemainingLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (pendingProblem != null) {
            // The packets before the bad one have gone on; now the refusal.
            refuse(ctx, in, pendingProblem);
            return;
        }
        if (afterForeignConnect) {
            // The front handler has answered a decodable CONNECT and closed; more bytes mean one Netty could not
            // decode, waiting for properties past its packet.
            refuse(ctx, in, "bytes after a CONNECT of another protocol version, before its answer");
            return;
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        int at = start;
        String problem = null;
        while (at < end) {
            int first = in.getUnsignedByte(at);
            problem = FrameRules.header(first);
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
                    problem = "remaining length longer than four bytes (MQTT-2.2.3)";
                    break;
                }
            }
            if (problem != null || !lengthComplete) {
                break;
            }
            if (length > maxRemainingLength) {
                problem = "remaining length " + length + " over the limit of " + maxRemainingLength
                        + " (max_packet_size less the fixed header)";
                break;
            }
            if (end - i < length) {
                break; // the rest of this packet has not arrived yet
            }
            problem = mqtt5 ? null : FrameRules.body(first, in, i, length);
            if (problem != null) {
                break;
            }
            at = i + length;
            if (first >> 4 == FrameRules.CONNECT && !connectSeen) {
                connectSeen = true;
                if (FrameRules.isMqtt5(in, i)) {
                    mqtt5 = true;
                } else if (!FrameRules.isMqtt3(in, i)) {
                    afterForeignConnect = true;
                    break;
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

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String problem) {
        refused = true;
        pendingProblem = null;
        in.skipBytes(in.readableBytes());
        ctx.fireUserEventTriggered(new MalformedPacket(problem));
    }
}
