package dev.drawbridge.device.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.device.config.ConfigLoader;
import dev.drawbridge.device.config.MqttConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the device connects; the network (system resolver, mDNS) is the edge replaced here by fixed answers. */
class BrokerLocatorTest {

    private static final InetAddress PI = address(192, 168, 1, 20);

    @TempDir
    Path dir;

    private final List<String> asked = new ArrayList<>();

    @Test
    void anOrdinaryHostIsLeftToTheSystemAtEveryConnect() throws Exception {
        InetSocketAddress server = locator(List.of(), Optional.empty(), false).locate(mqtt("host: mqtt.example.org"));

        assertThat(server.isUnresolved()).isTrue();
        assertThat(server.getHostString()).isEqualTo("mqtt.example.org");
        assertThat(server.getPort()).isEqualTo(8883);
        assertThat(asked).isEmpty();
    }

    @Test
    void aLocalNameTheSystemKnowsStaysWithTheSystem() throws Exception {
        InetSocketAddress server = locator(List.of(), Optional.empty(), true).locate(mqtt("host: garagepi.local"));

        assertThat(server.isUnresolved()).isTrue();
        assertThat(asked).isEmpty();
    }

    @Test
    void aLocalNameTheSystemDoesNotKnowIsAskedByMdns() throws Exception {
        InetSocketAddress server =
                locator(List.of(), Optional.of(PI), false).locate(mqtt("host: garagepi.local\n  port: 8884"));

        assertThat(server.getAddress()).isEqualTo(PI);
        assertThat(server.getHostString())
                .as("kept for the TLS host name check")
                .isEqualTo("garagepi.local");
        assertThat(server.getPort()).isEqualTo(8884);
        assertThat(asked).containsExactly("resolve garagepi.local");
    }

    @Test
    void aLocalNameNobodyAnswersIsRetriedByTheSystemLater() throws Exception {
        InetSocketAddress server = locator(List.of(), Optional.empty(), false).locate(mqtt("host: garagepi.local"));

        assertThat(server.isUnresolved()).isTrue();
        assertThat(server.getHostString()).isEqualTo("garagepi.local");
    }

    @Test
    void discoverTakesTheFirstServiceByName() throws Exception {
        List<MdnsLookup.Found> found = List.of(
                new MdnsLookup.Found("Drawbridge on shed", "shed.local", 8884, List.of(address(10, 0, 0, 2))),
                new MdnsLookup.Found("Drawbridge on garagepi", "garagepi.local", 8883, List.of(PI)));

        InetSocketAddress server = locator(found, Optional.empty(), false).locate(mqtt("discover: true"));

        assertThat(server.getAddress()).isEqualTo(PI);
        assertThat(server.getHostString()).isEqualTo("garagepi.local");
        assertThat(server.getPort()).isEqualTo(8883);
        assertThat(asked).containsExactly("browse " + BrokerLocator.SECURE_MQTT);
    }

    @Test
    void discoverWithoutAddressesResolvesTheTargetHost() throws Exception {
        List<MdnsLookup.Found> found =
                List.of(new MdnsLookup.Found("Drawbridge on garagepi", "garagepi.local", 8883, List.of()));

        InetSocketAddress server = locator(found, Optional.of(PI), false).locate(mqtt("discover: true"));

        assertThat(server.getAddress()).isEqualTo(PI);
        assertThat(asked).containsExactly("browse " + BrokerLocator.SECURE_MQTT, "resolve garagepi.local");
    }

    @Test
    void discoverWithNoAnswerSaysWhatWasLookedFor() throws Exception {
        BrokerLocator locator = locator(List.of(), Optional.empty(), false);
        MqttConfig mqtt = mqtt("discover: true\n  discover-timeout: 2s");

        assertThatThrownBy(() -> locator.locate(mqtt))
                .isInstanceOf(BrokerNotFoundException.class)
                .hasMessage("mqtt.discover: no _secure-mqtt._tcp.local. service answered within 2000 ms; is the broker"
                        + " running with 'mdns true' and a TLS listener on the LAN?");
    }

    private BrokerLocator locator(List<MdnsLookup.Found> services, Optional<InetAddress> host, boolean systemKnows) {
        BrokerLocator.SystemResolver system = name -> {
            if (systemKnows) {
                return new InetAddress[] {PI};
            }
            throw new UnknownHostException(name);
        };
        return new BrokerLocator(system, () -> new MdnsLookup() {
            @Override
            public List<Found> browse(String type, Duration timeout) {
                asked.add("browse " + type);
                return services;
            }

            @Override
            public Optional<InetAddress> resolve(String name, Duration timeout) {
                asked.add("resolve " + name);
                return host;
            }

            @Override
            public void close() {}
        });
    }

    private MqttConfig mqtt(String lines) throws Exception {
        Path file = dir.resolve("device.yml");
        Files.writeString(
                file,
                "mqtt:\n  " + lines + "\ntls:\n  certificate: device.crt\n  key: device.key\n"
                        + "  fingerprint-sha256: \"" + "AB".repeat(32) + "\"\n");
        Files.writeString(dir.resolve("device.crt"), "");
        Files.writeString(dir.resolve("device.key"), "");
        Files.setPosixFilePermissions(dir.resolve("device.key"), PosixFilePermissions.fromString("rw-------"));
        return ConfigLoader.load(file).mqtt();
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
