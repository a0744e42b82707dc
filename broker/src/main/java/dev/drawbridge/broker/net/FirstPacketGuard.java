package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a new connection on its first bytes, before any decoding: the first packet must be a CONNECT with no flags
 * (MQTT 3.1.1 section 3.1, MQTT-3.1.0-1) and may not announce more than a small size, so that a stranger cannot make
 * the broker buffer a large packet before it knows who is talking. Removes itself once the header has been seen.
 */
final class FirstPacketGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    /** The largest CONNECT accepted: room for long credentials and a will, nothing like a flood. */
    static final int MAX_CONNECT_BYTES = 256 * 1024;

    private ByteBuf header = Unpooled.EMPTY_BUFFER;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf seen = header.isReadable() ? Unpooled.wrappedBuffer(header, bytes) : bytes;
        header = Unpooled.EMPTY_BUFFER;
        int verdict = judge(seen, FrontHandler.peer(ctx));
        if (verdict == NEED_MORE) {
            // Keep what came so far (at most five bytes can be undecided).
            header = seen;
            return;
        }
        if (verdict == REFUSE) {
            seen.release();
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(seen);
    }

    private static final int NEED_MORE = 0;
    private static final int ACCEPT = 1;
    private static final int REFUSE = 2;

    private int judge(ByteBuf bytes, String peer) {
        int start = bytes.readerIndex();
        if (!bytes.isReadable()) {
            return NEED_MORE;
        }
        int first = bytes.getUnsignedByte(start);
        if (first != 0x10) {
            LOG.info(
                    "Connection from {} refused: the first packet is not a CONNECT (first byte 0x{}).",
                    peer,
                    Integer.toHexString(first));
            return REFUSE;
        }
        int length = 0;
        for (int i = 1; i <= 4; i++) {
            if (bytes.readableBytes() <= i) {
                return NEED_MORE;
            }
            int b = bytes.getUnsignedByte(start + i);
            length |= (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                if (length > MAX_CONNECT_BYTES) {
                    LOG.info(
                            "Connection from {} refused: CONNECT of {} bytes exceeds {}.",
                            peer,
                            length,
                            MAX_CONNECT_BYTES);
                    return REFUSE;
                }
                return ACCEPT;
            }
        }
        LOG.info("Connection from {} refused: malformed remaining length in CONNECT.", peer);
        return REFUSE;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (header.refCnt() > 0 && header != Unpooled.EMPTY_BUFFER) {
            header.release();
        }
        header = Unpooled.EMPTY_BUFFER;
    }
}
