package dev.drawbridge.broker.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.mdns.MdnsService;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mdns true} in mosquitto.conf makes the running broker jar advertise its listener, found by a real mDNS query,
 * and withdraw it when stopped. The jar is told by the test-only {@code -Ddrawbridge.test.mdns-addresses=127.0.0.1}
 * to answer on loopback instead of the machine's LAN interfaces, so that no multicast leaves this machine; which
 * interfaces count as the LAN is therefore not covered here (MdnsPlanTest covers the choice per address).
 */
class MdnsJarIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private @Nullable ClientProcess broker;
    private @Nullable JmDNS browser;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theRunningJarAdvertisesItsListenerAndWithdrawsItOnStop() throws Exception {
        int port = Ports.free();
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\nmdns true\n");
        String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        JmDNS query = JmDNS.create(InetAddress.getLoopbackAddress(), "browser-" + id);
        browser = query;
        Map<String, ServiceInfo> resolved = new ConcurrentHashMap<>();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        query.addServiceListener(MdnsService.MQTT, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                query.requestServiceInfo(event.getType(), event.getName(), 1000);
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                removed.add(event.getName());
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                resolved.put(event.getName(), event.getInfo());
            }
        });

        ClientProcess running =
                BrokerJar.start(dir, List.of("-Ddrawbridge.test.mdns-addresses=127.0.0.1"), "-c", conf.toString());
        broker = running;

        // Other brokers on this machine may advertise on loopback too: ours is the one on our port.
        ServiceInfo ours = await("our _mqtt._tcp service, resolved")
                .atMost(WAIT)
                .until(
                        () -> resolved.values().stream()
                                .filter(info -> info.getPort() == port)
                                .findFirst()
                                .orElse(null),
                        info -> info != null);
        assertThat(ours.getName()).startsWith("Drawbridge on ");
        assertThat(ours.getHostAddresses()).containsExactly("127.0.0.1");
        assertThat(running.output()).anyMatch(line -> line.contains("mdns: advertising 127.0.0.1:" + port));

        assertThat(BrokerJar.stop(running)).isZero();

        await("goodbye for " + ours.getName()).atMost(WAIT).until(() -> removed.contains(ours.getName()));
    }
}
