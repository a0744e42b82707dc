package dev.drawbridge.broker.mdns;

import dev.drawbridge.broker.net.BoundListener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advertises the broker's listeners by multicast DNS while it runs (the {@code mdns true} option): one JmDNS
 * responder per LAN address, each with the services {@link MdnsPlan} chooses for it. Registration runs on its own
 * thread ({@code drawbridge-mdns}), so the broker's start does not wait for mDNS probing; {@link #close()} sends the
 * goodbye packets.
 */
public final class MdnsAdvertiser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsAdvertiser.class);
    private static final long REGISTER_WAIT_MILLIS = 10_000;

    private final List<JmDNS> responders = Collections.synchronizedList(new ArrayList<>());
    private final List<MdnsService> services;
    private final Thread registrar;
    private volatile boolean closed;

    private MdnsAdvertiser(Map<InetAddress, List<MdnsService>> plan, String hostName) {
        this.services = plan.values().stream().flatMap(List::stream).toList();
        this.registrar = new Thread(() -> register(plan, hostName), "drawbridge-mdns");
        registrar.setDaemon(true);
    }

    /** Advertises nothing: {@code mdns false}. */
    public static MdnsAdvertiser none() {
        return new MdnsAdvertiser(Map.of(), "");
    }

    /**
     * Test-only: the addresses to advertise on (comma-separated IP literals) instead of the LAN's, so that a test can
     * watch the running broker jar advertise over multicast on loopback without sending any onto a real network. Not
     * an option for users.
     */
    static final String TEST_ADDRESSES_PROPERTY = "drawbridge.test.mdns-addresses";

    /** Advertises the listeners on every LAN address of this machine (IPv4, up, multicast, not loopback). */
    public static MdnsAdvertiser start(List<BoundListener> listeners) {
        String testAddresses = System.getProperty(TEST_ADDRESSES_PROPERTY);
        if (testAddresses != null) {
            return start(listeners, hostName(), testAddresses(testAddresses));
        }
        for (BoundListener listener : listeners) {
            if (MdnsPlan.loopbackOnly(listener)) {
                LOG.info("mdns: listener {} is bound to loopback only, not advertised", MdnsPlan.describe(listener));
            }
        }
        return start(listeners, hostName(), lanAddresses());
    }

    private static List<InetAddress> testAddresses(String value) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : value.split(",")) {
            String address = literal.strip();
            try {
                // Only literals: a name would be looked up in DNS.
                if (!address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                    throw new UnknownHostException("not an IP address");
                }
                addresses.add(InetAddress.getByName(address));
            } catch (UnknownHostException e) {
                LOG.warn("mdns: -D{}: expected IP addresses, found '{}'", TEST_ADDRESSES_PROPERTY, address);
            }
        }
        LOG.info("mdns: advertising on {} only (-D{}, for tests)", addresses, TEST_ADDRESSES_PROPERTY);
        return addresses;
    }

    /**
     * Advertises the listeners on the given addresses as {@code hostName.local}.
     *
     * @param addresses where to answer; tests pass the loopback address
     */
    public static MdnsAdvertiser start(List<BoundListener> listeners, String hostName, List<InetAddress> addresses) {
        Map<InetAddress, List<MdnsService>> plan = new LinkedHashMap<>();
        for (InetAddress address : addresses) {
            List<MdnsService> services = MdnsPlan.services(listeners, hostName, address);
            if (!services.isEmpty()) {
                plan.put(address, services);
            }
        }
        if (plan.isEmpty()) {
            LOG.warn("mdns: nothing to advertise (no MQTT listener reachable on {})", addresses);
        }
        MdnsAdvertiser advertiser = new MdnsAdvertiser(plan, hostName);
        if (!plan.isEmpty()) {
            advertiser.registrar.start();
        }
        return advertiser;
    }

    /** What is (being) advertised, over every address. */
    public List<MdnsService> services() {
        return services;
    }

    private void register(Map<InetAddress, List<MdnsService>> plan, String hostName) {
        plan.forEach((address, list) -> {
            if (closed) {
                return;
            }
            try {
                JmDNS responder = JmDNS.create(address, hostName);
                responders.add(responder);
                for (MdnsService service : list) {
                    responder.registerService(ServiceInfo.create(service.type(), service.name(), service.port(), ""));
                    LOG.info(
                            "mdns: advertising {} as '{}' {} on {}",
                            service.listener(),
                            service.name(),
                            service.type(),
                            address.getHostAddress());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("mdns: cannot advertise on {}: {}", address.getHostAddress(), e.toString());
            }
        });
    }

    /** Withdraws every service (goodbye packets) and closes the responders. */
    @Override
    public void close() {
        closed = true;
        if (registrar.isAlive()) {
            try {
                registrar.join(REGISTER_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<JmDNS> open;
        synchronized (responders) {
            open = List.copyOf(responders);
            responders.clear();
        }
        for (JmDNS responder : open) {
            try {
                responder.unregisterAllServices();
                responder.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("mdns: closing the responder: {}", e.toString());
            }
        }
    }

    /** This machine's host name without a domain, as {@code NAME.local} will carry it. */
    static String hostName() {
        String name = "";
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException | RuntimeException e) {
            LOG.debug("mdns: no /proc/sys/kernel/hostname: {}", e.toString());
        }
        if (name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "drawbridge";
            }
        }
        int dot = name.indexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
    }

    /** IPv4 addresses of the interfaces that are up, support multicast and are not loopback or point-to-point. */
    static List<InetAddress> lanAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isPointToPoint() || !nic.supportsMulticast()) {
                    continue;
                }
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> a instanceof Inet4Address)
                        .forEach(addresses::add);
            }
        } catch (SocketException e) {
            LOG.warn("mdns: cannot list the network interfaces: {}", e.toString());
        }
        return addresses;
    }
}
