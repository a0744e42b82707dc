package dev.drawbridge.broker.net;

import dev.drawbridge.broker.conf.ListenerConfig;
import java.net.InetSocketAddress;

/**
 * A listener that is open.
 *
 * @param config what was asked for
 * @param address where it is bound (the real port when 0 was asked for)
 */
public record BoundListener(ListenerConfig config, InetSocketAddress address) {

    public int port() {
        return address.getPort();
    }
}
