package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * Notes the version a TLS client's ClientHello asks for when it is below TLS 1.2, so that a refused handshake names it:
 * BoringSSL's refusal says only UNSUPPORTED_PROTOCOL. Looks at the first bytes once, before the TLS handler, and takes
 * itself out of the pipeline; the bytes go on unchanged.
 */
@Sharable
final class ClientHelloVersion extends ChannelInboundHandlerAdapter {

    static final ClientHelloVersion INSTANCE = new ClientHelloVersion();

    private static final AttributeKey<String> OLD_VERSION = AttributeKey.valueOf(ClientHelloVersion.class, "old");
    private static final int HANDSHAKE_RECORD = 0x16;
    private static final int CLIENT_HELLO = 0x01;
    /** Record header (type, version, length: 5 bytes), handshake type and length (4), then client_version. */
    private static final int CLIENT_VERSION_OFFSET = 9;

    private ClientHelloVersion() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf in && in.readableBytes() >= CLIENT_VERSION_OFFSET + 2) {
            int at = in.readerIndex();
            if (in.getUnsignedByte(at) == HANDSHAKE_RECORD && in.getUnsignedByte(at + 5) == CLIENT_HELLO) {
                String old = belowTls12(in.getUnsignedShort(at + CLIENT_VERSION_OFFSET));
                if (old != null) {
                    ctx.channel().attr(OLD_VERSION).set(old);
                }
            }
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    /** The name of a ClientHello's client_version below TLS 1.2, or null (TLS 1.3 clients also write 1.2 there). */
    static @Nullable String belowTls12(int clientVersion) {
        return switch (clientVersion) {
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            default -> null;
        };
    }

    /** What the client asked for, if it was below TLS 1.2. */
    static @Nullable String of(ChannelHandlerContext ctx) {
        return ctx.channel().attr(OLD_VERSION).get();
    }
}
