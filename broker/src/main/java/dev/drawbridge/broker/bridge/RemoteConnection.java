package dev.drawbridge.broker.bridge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One TCP connection of a bridge to its remote broker, on Netty's MQTT codec in client mode: sends the CONNECT when the
 * socket is up, keeps the connection alive (PINGREQ after a keepalive without writing; a keepalive without reading
 * after a PINGREQ ends it) and hands every packet read to the bridge. Reports its end once, with why.
 */
final class RemoteConnection {

    /** The most a packet from the remote broker may hold: MQTT's largest. */
    private static final int MAX_PACKET = 268_435_455;

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What the connection tells its bridge; called on the bridge's event loop. */
    interface Events {
        /** A packet from the remote broker; the bridge releases it. */
        void remotePacket(MqttMessage message);

        /** The socket takes more writes again. */
        void remoteWritable();

        /** The connection could not be made, or ended. Called once. */
        void remoteClosed(String why);
    }

    /**
     * A TLS bridge's handler for one connection attempt, first in the pipeline, made for the address being tried
     * ({@link BridgeTls#handler}: SNI, and the host name check unless {@code bridge_insecure}); none for a plain bridge.
     * The CONNECT written when the socket is up waits in it until the handshake is done; a failed handshake ends the
     * attempt like a refused connection.
     */
    @FunctionalInterface
    interface TlsHandlers {
        Optional<ChannelHandler> forAddress(SocketChannel channel, BridgeConfig.Address address);

        TlsHandlers NONE = (channel, address) -> Optional.empty();
    }

    private final Events events;
    private final Channel channel;
    private String why = "the remote broker closed the connection";
    private boolean closing;
    private boolean reported;
    private boolean pingOutstanding;

    private RemoteConnection(Events events, Channel channel) {
        this.events = events;
        this.channel = channel;
    }

    /** Connects to {@code address} on {@code loop}; {@code connect} is sent as soon as the socket is up. */
    static RemoteConnection open(
            EventLoop loop,
            BridgeConfig.Address address,
            Object connect,
            int keepaliveSeconds,
            TlsHandlers tls,
            Events events) {
        NioSocketChannel channel = new NioSocketChannel();
        channel.config().setConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
        channel.config().setTcpNoDelay(true);
        RemoteConnection connection = new RemoteConnection(events, channel);
        tls.forAddress(channel, address).ifPresent(handler -> channel.pipeline().addLast("tls", handler));
        channel.pipeline()
                .addLast("decoder", new MqttDecoder(MAX_PACKET))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast("keepalive", new IdleStateHandler(keepaliveSeconds, keepaliveSeconds, 0, TimeUnit.SECONDS))
                .addLast("bridge", connection.new Handler(connect));
        loop.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                ReferenceCountUtil.release(connect);
                connection.report("cannot connect: " + message(registered.cause()));
                return;
            }
            channel.connect(new InetSocketAddress(address.host(), address.port()))
                    .addListener(connected -> {
                        if (!connected.isSuccess()) {
                            ReferenceCountUtil.release(connect);
                            connection.report("cannot connect: " + message(connected.cause()));
                            channel.close();
                        }
                    });
        });
        return connection;
    }

    /**
     * Why TLS failed, in the words of the deepest cause that has any, without the exception class names of the causes
     * above it: "unable to find valid certification path to requested target" (a certificate of another CA), "No
     * subject alternative DNS name matching localhost found." (a certificate for another host).
     */
    private static String tlsReason(Throwable cause) {
        Throwable reason = cause;
        for (Throwable c = cause.getCause(); c != null && c != reason; c = c.getCause()) {
            if (c.getMessage() != null) {
                reason = c;
            }
        }
        return message(reason);
    }

    private static String message(Throwable cause) {
        String text = cause.getMessage();
        return text == null ? cause.getClass().getSimpleName() : text;
    }

    /** Writes a packet; sent at the next {@link #flush()}. */
    void write(Object packet) {
        channel.write(packet, channel.voidPromise());
    }

    void writeAndFlush(Object packet) {
        channel.writeAndFlush(packet, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    /** Ends the connection for {@code reason} (reported as why it ended, unless it is already ending for another). */
    void close(String reason) {
        // The first reason is the cause: a failed handshake, say, is followed by the exception that carried it.
        if (!closing) {
            closing = true;
            why = reason;
        }
        channel.close();
    }

    /** Ends the connection with DISCONNECT, as a client that leaves on purpose: the remote broker drops the will. */
    void disconnect() {
        why = "the bridge stopped";
        if (channel.isActive()) {
            channel.writeAndFlush(new MqttMessage(
                            new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)))
                    .addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    /** Waits (at most a few seconds) until the socket is closed; for the broker's shutdown. */
    void awaitClosed() {
        channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void report(String reason) {
        if (!reported) {
            reported = true;
            events.remoteClosed(reason);
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final Object connect;

        Handler(Object connect) {
            this.connect = connect;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(connect, ctx.voidPromise());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            pingOutstanding = false;
            if (!(msg instanceof MqttMessage message)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (message.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                close("the remote broker sent a malformed packet: "
                        + message(message.decoderResult().cause()));
                return;
            }
            if (message.fixedHeader().messageType() == MqttMessageType.PINGRESP) {
                ReferenceCountUtil.release(msg);
                return;
            }
            events.remotePacket(message);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                events.remoteWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (!handshake.isSuccess()) {
                    close("TLS handshake failed: " + tlsReason(handshake.cause()));
                }
                return;
            }
            if (!(evt instanceof IdleStateEvent idle)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            if (idle.state() == IdleState.READER_IDLE && pingOutstanding) {
                close("no answer from the remote broker within the keepalive");
                return;
            }
            if (!pingOutstanding) {
                pingOutstanding = true;
                ctx.writeAndFlush(
                        new MqttMessage(
                                new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)),
                        ctx.voidPromise());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable inner = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            close(inner instanceof SSLException ? "TLS failed: " + tlsReason(inner) : message(cause));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            report(why);
            ctx.fireChannelInactive();
        }
    }
}
