package dev.drawbridge.broker.bridge;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * Whether a bridge's first address takes a TCP connection again (Mosquitto's {@code bridge_check} tries a plain
 * connect and closes it at once).
 */
final class PrimaryProbe {

    private static final int TIMEOUT_MILLIS = 5_000;

    private PrimaryProbe() {}

    /** Runs {@code answers} on the loop if {@code address} accepts a connection; nothing happens otherwise. */
    static void probe(EventLoop loop, BridgeConfig.Address address, Runnable answers) {
        NioSocketChannel channel = new NioSocketChannel();
        channel.config().setConnectTimeoutMillis(TIMEOUT_MILLIS);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        loop.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                return;
            }
            channel.connect(new InetSocketAddress(address.host(), address.port()))
                    .addListener(connected -> {
                        channel.close();
                        if (connected.isSuccess()) {
                            answers.run();
                        }
                    });
        });
    }
}
