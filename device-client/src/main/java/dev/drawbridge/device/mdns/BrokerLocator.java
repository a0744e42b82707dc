package dev.drawbridge.device.mdns;

import dev.drawbridge.device.config.MqttConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the device connects, from the {@code mqtt:} section.
 *
 * <ul>
 *   <li>{@code discover: true}: browses for {@code _secure-mqtt._tcp} for {@code discover-timeout}; the first instance
 *       by name wins (the others are logged). The device connects to its advertised address and checks TLS against
 *       its advertised host name ({@code NAME.local}).
 *   <li>{@code host: NAME.local}: the system resolver first (it may know mDNS through nss-mdns); if it does not know
 *       the name, JmDNS asks the LAN, and the device connects to that address with the name kept for TLS.
 *   <li>any other host: unchanged, resolved by the system at every (re)connect.
 * </ul>
 */
public final class BrokerLocator {

    /** The DNS-SD type of MQTT over TLS. */
    public static final String SECURE_MQTT = "_secure-mqtt._tcp.local.";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLocator.class);

    /** The system's resolver: {@link InetAddress#getAllByName}. */
    public interface SystemResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final SystemResolver system;
    private final Supplier<MdnsLookup> mdns;

    /**
     * @param mdns opens a lookup when one is needed; it is closed after use
     */
    public BrokerLocator(SystemResolver system, Supplier<MdnsLookup> mdns) {
        this.system = system;
        this.mdns = mdns;
    }

    /** The system resolver and JmDNS on the address JmDNS chooses. */
    public static BrokerLocator onLan() {
        return new BrokerLocator(InetAddress::getAllByName, () -> JmdnsLookup.open(null));
    }

    /**
     * @throws BrokerNotFoundException with {@code discover: true} when no broker answered in time
     */
    public InetSocketAddress locate(MqttConfig mqtt) {
        if (mqtt.discover()) {
            return discover(mqtt.discoverTimeout());
        }
        if (isLocal(mqtt.host())) {
            return local(mqtt.host(), mqtt.port(), mqtt.discoverTimeout());
        }
        return InetSocketAddress.createUnresolved(mqtt.host(), mqtt.port());
    }

    private InetSocketAddress discover(Duration timeout) {
        LOG.info("mqtt.discover: looking for {} for up to {} ms", SECURE_MQTT, timeout.toMillis());
        List<MdnsLookup.Found> found;
        try (MdnsLookup lookup = mdns.get()) {
            found = lookup.browse(SECURE_MQTT, timeout).stream()
                    .sorted(Comparator.comparing(MdnsLookup.Found::name))
                    .toList();
        }
        if (found.isEmpty()) {
            throw new BrokerNotFoundException(
                    "mqtt.discover: no " + SECURE_MQTT + " service answered within " + timeout.toMillis()
                            + " ms; is the broker running with 'mdns true' and a TLS listener on the LAN?");
        }
        MdnsLookup.Found broker = found.get(0);
        if (found.size() > 1) {
            LOG.warn(
                    "mqtt.discover: {} brokers answered ({}); using '{}'. Set mqtt.host to choose one",
                    found.size(),
                    found.stream().map(MdnsLookup.Found::name).toList(),
                    broker.name());
        }
        LOG.info(
                "mqtt.discover: found '{}' at {}:{} {}",
                broker.name(),
                broker.host(),
                broker.port(),
                broker.addresses());
        if (broker.addresses().isEmpty()) {
            return local(broker.host(), broker.port(), timeout);
        }
        return pinned(broker.host(), broker.addresses().get(0), broker.port());
    }

    private InetSocketAddress local(String host, int port, Duration timeout) {
        try {
            system.resolve(host);
            return InetSocketAddress.createUnresolved(host, port);
        } catch (UnknownHostException e) {
            LOG.info("{}: not known to the system resolver, asking by mDNS", host);
        }
        Optional<InetAddress> address;
        try (MdnsLookup lookup = mdns.get()) {
            address = lookup.resolve(host, timeout);
        }
        if (address.isEmpty()) {
            LOG.warn(
                    "{}: no mDNS answer within {} ms; the system resolver is tried again at every connect",
                    host,
                    timeout.toMillis());
            return InetSocketAddress.createUnresolved(host, port);
        }
        LOG.info("{}: {} by mDNS", host, address.get().getHostAddress());
        return pinned(host, address.get(), port);
    }

    /** The address to connect to, carrying {@code host} for the TLS server name and host name check. */
    private static InetSocketAddress pinned(String host, InetAddress address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(host, address.getAddress()), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of a wrong length: " + address, e);
        }
    }

    static boolean isLocal(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.endsWith(".local") || name.endsWith(".local.");
    }
}
