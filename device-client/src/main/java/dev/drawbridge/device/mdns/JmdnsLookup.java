package dev.drawbridge.device.mdns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;
import org.jspecify.annotations.Nullable;

/**
 * {@link MdnsLookup} with a JmDNS instance on one address. Host names are resolved through JmDNS's implementation
 * classes (an A query and its cache), since its public API only resolves services.
 */
public final class JmdnsLookup implements MdnsLookup {

    private static final long QUERY_INTERVAL_MILLIS = 1000;
    private static final long POLL_MILLIS = 100;

    private final JmDNS jmdns;

    private JmdnsLookup(JmDNS jmdns) {
        this.jmdns = jmdns;
    }

    /**
     * @param address the local address to ask from; null lets JmDNS choose one (a LAN address if there is one)
     */
    public static JmdnsLookup open(@Nullable InetAddress address) {
        try {
            return new JmdnsLookup(address == null ? JmDNS.create() : JmDNS.create(address, "drawbridge-device"));
        } catch (IOException e) {
            throw new UncheckedIOException("mDNS: cannot open a multicast socket: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Found> browse(String type, Duration timeout) {
        List<Found> found = new ArrayList<>();
        for (ServiceInfo info : jmdns.list(type, timeout.toMillis())) {
            List<InetAddress> addresses = new ArrayList<>(Arrays.asList(info.getInet4Addresses()));
            addresses.addAll(Arrays.asList(info.getInet6Addresses()));
            found.add(new Found(info.getName(), withoutFinalDot(info.getServer()), info.getPort(), addresses));
        }
        return found;
    }

    @Override
    public Optional<InetAddress> resolve(String host, Duration timeout) {
        if (!(jmdns instanceof JmDNSImpl impl)) {
            return Optional.empty();
        }
        String fqdn = host.endsWith(".") ? host : host + ".";
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextQuery = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            Optional<InetAddress> cached = cached(impl, fqdn);
            if (cached.isPresent()) {
                return cached;
            }
            if (System.nanoTime() - nextQuery >= 0) {
                query(impl, fqdn);
                nextQuery = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUERY_INTERVAL_MILLIS);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return cached(impl, fqdn);
    }

    private static void query(JmDNSImpl impl, String fqdn) {
        try {
            DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
            out.addQuestion(DNSQuestion.newQuestion(
                    fqdn, DNSRecordType.TYPE_A, DNSRecordClass.CLASS_IN, DNSRecordClass.NOT_UNIQUE));
            impl.send(out);
        } catch (IOException e) {
            throw new UncheckedIOException("mDNS: cannot send a query for " + fqdn + ": " + e.getMessage(), e);
        }
    }

    private static Optional<InetAddress> cached(JmDNSImpl impl, String fqdn) {
        long now = System.currentTimeMillis();
        for (DNSEntry entry : impl.getCache().getDNSEntryList(fqdn, DNSRecordType.TYPE_A, DNSRecordClass.CLASS_IN)) {
            if (entry instanceof DNSRecord record && !record.isExpired(now)) {
                InetAddress[] addresses = record.getServiceInfo().getInet4Addresses();
                if (addresses.length > 0) {
                    return Optional.of(addresses[0]);
                }
            }
        }
        return Optional.empty();
    }

    private static String withoutFinalDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    @Override
    public void close() {
        try {
            jmdns.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
