package dev.drawbridge.broker.net;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every refused TLS handshake with the peer and the reason (expired, unknown CA, revoked, wrong version). */
@Sharable
final class TlsHandshakeLog extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final String listener;

    TlsHandshakeLog(String listener) {
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            String old = ClientHelloVersion.of(ctx);
            LOG.info(
                    "TLS handshake from {} on {} refused: {}{}.",
                    FrontHandler.peer(ctx),
                    listener,
                    reason(done.cause()),
                    old == null ? "" : " (the client offers " + old + " at most; nothing below TLS 1.2 is offered)");
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The innermost cause's message: the one that names what was wrong with the certificate or protocol. */
    static String reason(Throwable cause) {
        Throwable t = cause;
        StringBuilder reason = new StringBuilder(String.valueOf(t.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null && !reason.toString().contains(t.getMessage())) {
                reason.append(": ").append(t.getMessage());
            }
        }
        return reason.toString();
    }
}
