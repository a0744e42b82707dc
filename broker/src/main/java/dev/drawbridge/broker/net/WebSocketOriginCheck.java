package dev.drawbridge.broker.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code websockets_origin}: a WebSocket upgrade whose {@code Origin} header is not one of the listed values (or that
 * has none) gets 403 and the close, so a web page from another site cannot reach the broker through a visitor's
 * browser. Requests that pass go on unchanged to the WebSocket handshake.
 */
final class WebSocketOriginCheck extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final List<String> allowed;
    private final String listener;

    WebSocketOriginCheck(List<String> allowed, String listener) {
        super(false); // a passing request is handed on, not released
        this.allowed = List.copyOf(allowed);
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && allowed.contains(origin)) {
            ctx.fireChannelRead(request);
            return;
        }
        request.release();
        LOG.info(
                "WebSocket upgrade from {} on {} refused: origin {} is not in websockets_origin.",
                FrontHandler.peer(ctx),
                listener,
                origin == null ? "<none>" : "'" + MqttStrings.logPrefix(origin) + "'");
        var response = new DefaultFullHttpResponse(
                request.protocolVersion(), HttpResponseStatus.FORBIDDEN, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
