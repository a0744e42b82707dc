package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/** MQTT over WebSocket: binary frames in, bytes out of the frame; bytes in, one binary frame out. */
final class WebSocketFrames {

    private WebSocketFrames() {}

    @Sharable
    static final class Unwrap extends MessageToMessageDecoder<WebSocketFrame> {
        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                out.add(frame.content().retain());
            } else {
                // MQTT over WebSocket is binary only (MQTT 3.1.1 section 6).
                ctx.close();
            }
        }
    }

    @Sharable
    static final class Wrap extends MessageToMessageEncoder<ByteBuf> {
        @Override
        public boolean acceptOutboundMessage(Object msg) throws Exception {
            // An empty buffer only carries a flush (before a close): it must not become an empty binary message.
            return super.acceptOutboundMessage(msg) && ((ByteBuf) msg).isReadable();
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
            out.add(new BinaryWebSocketFrame(bytes.retain()));
        }
    }
}
