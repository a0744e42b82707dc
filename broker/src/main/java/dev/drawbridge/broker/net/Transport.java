package dev.drawbridge.broker.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport: Linux's native epoll where its library loads (x86_64 and aarch64 are in the jar), Java's NIO
 * elsewhere. {@code -Ddrawbridge.transport=nio} forces NIO.
 */
enum Transport {
    EPOLL,
    NIO;

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    static Transport choose() {
        String forced = System.getProperty("drawbridge.transport", "auto").toLowerCase(Locale.ROOT);
        if (forced.equals("nio")) {
            LOG.info("Network transport: NIO (drawbridge.transport=nio).");
            return NIO;
        }
        if (Epoll.isAvailable()) {
            LOG.info("Network transport: native epoll.");
            return EPOLL;
        }
        LOG.info(
                "Network transport: NIO (native epoll not available: {}).",
                String.valueOf(Epoll.unavailabilityCause()));
        return NIO;
    }

    EventLoopGroup group(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name);
        return this == EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
