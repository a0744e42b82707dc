package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a new connection on its first bytes, before any decoding: the first packet must be a CONNECT with no flags
 * (MQTT 3.1.1 section 3.1, MQTT-3.1.0-1) and may not announce more than a small size, so that a stranger cannot make
 * the broker buffer a large packet before it knows who is talking. The {@link FrameValidator} of a connection asks it
 * until it has seen that header, so the check costs no handler, and no pipeline change, of its own.
 */
final class FirstPacketGuard {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    /** The largest CONNECT accepted: room for long credentials and a will, nothing like a flood. */
    static final int MAX_CONNECT_BYTES = 256 * 1024;

    static final int NEED_MORE = 0;
    static final int ACCEPT = 1;
    static final int REFUSE = 2;

    private FirstPacketGuard() {}

    /**
     * Judges the first bytes of a connection, from the reader index on: {@link #ACCEPT}, {@link #REFUSE} (logged) or
     * {@link #NEED_MORE} (at most five bytes can be undecided).
     */
    static int judge(ByteBuf bytes, Channel channel) {
        int start = bytes.readerIndex();
        if (!bytes.isReadable()) {
            return NEED_MORE;
        }
        int first = bytes.getUnsignedByte(start);
        if (first != 0x10) {
            LOG.info(
                    "Connection from {} refused: the first packet is not a CONNECT (first byte 0x{}).",
                    FrontHandler.peer(channel),
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
                            FrontHandler.peer(channel),
                            length,
                            MAX_CONNECT_BYTES);
                    return REFUSE;
                }
                return ACCEPT;
            }
        }
        LOG.info("Connection from {} refused: malformed remaining length in CONNECT.", FrontHandler.peer(channel));
        return REFUSE;
    }
}
