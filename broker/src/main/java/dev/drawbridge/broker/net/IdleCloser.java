package dev.drawbridge.broker.net;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose reader went idle: before CONNECT after the connect timeout, after CONNECT at 1.5 times the
 * keepalive (the MQTT core re-arms the idle timer by the name {@code idleStateHandler}).
 */
@Sharable
final class IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            LOG.info("Client from {} has exceeded timeout, disconnecting.", FrontHandler.peer(ctx));
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
