package dev.drawbridge.broker.net;

import dev.drawbridge.broker.sys.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts bytes on the wire for {@code $SYS/broker/load/bytes}. */
@Sharable
final class ByteCounter extends ChannelDuplexHandler {

    private final BrokerStats stats;

    ByteCounter(BrokerStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            stats.bytesReceived(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            stats.bytesSent(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
