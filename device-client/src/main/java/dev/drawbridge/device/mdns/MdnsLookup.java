package dev.drawbridge.device.mdns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The multicast DNS queries the device needs; {@link JmdnsLookup} asks the network. */
public interface MdnsLookup extends AutoCloseable {

    /**
     * A service instance that answered.
     *
     * @param name the instance name, e.g. {@code Drawbridge on garagepi}
     * @param host the target host without the final dot, e.g. {@code garagepi.local}
     * @param port the advertised port
     * @param addresses the target's addresses, IPv4 first; may be empty
     */
    record Found(String name, String host, int port, List<InetAddress> addresses) {
        public Found {
            addresses = List.copyOf(addresses);
        }
    }

    /** The instances of {@code type} (e.g. {@code _secure-mqtt._tcp.local.}) that answer within {@code timeout}. */
    List<Found> browse(String type, Duration timeout);

    /** The address of {@code host} (e.g. {@code garagepi.local}) if it answers within {@code timeout}. */
    Optional<InetAddress> resolve(String host, Duration timeout);

    @Override
    void close();
}
