package dev.drawbridge.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.mdns.MdnsAdvertiser;
import dev.drawbridge.broker.mdns.MdnsService;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mdns} option on a real broker. Multicast stays on the loopback interface (this machine's {@code lo} has
 * no MULTICAST flag, but Linux still loops 224.0.0.251 back on it): the advertiser is given 127.0.0.1 as its only
 * address, and a JmDNS browser on 127.0.0.1 plays the LAN client.
 */
class MdnsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Unique per run, so that concurrent test runs on this machine never see each other's services. */
    private final String host = "drawbridge-it-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

    private Drawbridge broker;
    private MdnsAdvertiser advertiser;
    private JmDNS browser;

    @BeforeEach
    void start() throws Exception {
        // mdns true with a loopback-only listener: the broker itself advertises nothing and opens no mDNS socket.
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\nallow_anonymous true\nmdns true\n",
                StandardCharsets.UTF_8);
        broker = Drawbridge.start(conf);
        browser = JmDNS.create(InetAddress.getLoopbackAddress(), "browser-" + host);
    }

    @AfterEach
    void stop() throws Exception {
        if (advertiser != null) {
            advertiser.close();
        }
        if (browser != null) {
            browser.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aLoopbackOnlyListenerIsNotAdvertisedOnTheLan() {
        assertThat(broker.config().mdns()).isTrue();
        try (MdnsAdvertiser lan = MdnsAdvertiser.start(broker.listeners())) {
            assertThat(lan.services()).isEmpty();
        }
    }

    @Test
    void advertisesTheBoundPortAndWithdrawsItOnClose() {
        Set<String> added = ConcurrentHashMap.newKeySet();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        browser.addServiceListener(MdnsService.MQTT, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                added.add(event.getName());
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                removed.add(event.getName());
            }

            @Override
            public void serviceResolved(ServiceEvent event) {}
        });

        advertiser = MdnsAdvertiser.start(broker.listeners(), host, List.of(InetAddress.getLoopbackAddress()));

        String name = "Drawbridge on " + host;
        assertThat(advertiser.services())
                .containsExactly(new MdnsService(MdnsService.MQTT, name, broker.port(), "127.0.0.1:" + broker.port()));
        ServiceInfo found =
                await().atMost(WAIT).until(() -> browser.getServiceInfo(MdnsService.MQTT, name, 1000), i -> i != null);
        assertThat(found.getPort()).isEqualTo(broker.port());
        assertThat(found.getServer()).isEqualTo(host + ".local.");
        assertThat(found.getHostAddresses()).containsExactly("127.0.0.1");

        advertiser.close();

        await().atMost(WAIT).until(() -> removed.contains(name));
    }
}
