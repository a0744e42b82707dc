package dev.drawbridge.broker.mdns;

import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.net.BoundListener;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which listeners are advertised on one network address, and under which names. No network access: the rules live
 * here so that they can be tested without multicast.
 *
 * <ul>
 *   <li>plain MQTT listeners as {@code _mqtt._tcp}, TLS listeners as {@code _secure-mqtt._tcp};
 *   <li>WebSocket listeners are not advertised (DNS-SD's MQTT types mean MQTT over TCP);
 *   <li>a listener is advertised on an address it is reachable on: bound to every interface, or to that address. A
 *       listener bound to loopback only is therefore never advertised on the LAN ({@link #loopbackOnly});
 *   <li>the first listener of a type is {@code Drawbridge on HOST}, more of the same type get {@code (port N)}.
 * </ul>
 */
public final class MdnsPlan {

    private MdnsPlan() {}

    /** The services for the listeners reachable on {@code address}, in listener order. */
    public static List<MdnsService> services(List<BoundListener> listeners, String hostName, InetAddress address) {
        List<MdnsService> services = new ArrayList<>();
        Set<String> typesUsed = new HashSet<>();
        for (BoundListener listener : listeners) {
            if (!advertised(listener, address)) {
                continue;
            }
            String type = listener.config().tls().isPresent() ? MdnsService.SECURE_MQTT : MdnsService.MQTT;
            String name = "Drawbridge on " + hostName;
            if (!typesUsed.add(type)) {
                name += " (port " + listener.port() + ")";
            }
            services.add(new MdnsService(type, name, listener.port(), describe(listener)));
        }
        return List.copyOf(services);
    }

    /** As {@link ListenerConfig#describe()}, with the bound port. */
    static String describe(BoundListener listener) {
        ListenerConfig config = listener.config();
        return config.bindAddress().orElse("*") + ":" + listener.port()
                + (config.tls().isPresent() ? " (tls)" : "");
    }

    /** True if the listener is MQTT over TCP and reachable on {@code address}. */
    static boolean advertised(BoundListener listener, InetAddress address) {
        if (listener.config().protocol() != ListenerConfig.Protocol.MQTT) {
            return false;
        }
        InetAddress bound = listener.address().getAddress();
        return bound == null || bound.isAnyLocalAddress() || bound.equals(address);
    }

    /** True for a listener bound to a loopback address: only this machine can reach it. */
    public static boolean loopbackOnly(BoundListener listener) {
        InetAddress bound = listener.address().getAddress();
        return bound != null && bound.isLoopbackAddress();
    }
}
