package dev.drawbridge.broker.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.SecurityConfig;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.net.BoundListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which listeners the {@code mdns} option advertises on an address, and as what: no network involved. */
class MdnsPlanTest {

    private static final InetAddress LAN = address("192.168.1.20");
    private static final InetAddress OTHER_LAN = address("10.0.0.7");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress ANY = address("0.0.0.0");

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of(
                        "plain listener on every interface: _mqtt._tcp",
                        List.of(plain(ANY, 1883)),
                        LAN,
                        List.of(new MdnsService(MdnsService.MQTT, "Drawbridge on garagepi", 1883, "0.0.0.0:1883"))),
                Arguments.of(
                        "TLS listener on every interface: _secure-mqtt._tcp",
                        List.of(tls(ANY, 8883)),
                        LAN,
                        List.of(new MdnsService(
                                MdnsService.SECURE_MQTT, "Drawbridge on garagepi", 8883, "0.0.0.0:8883 (tls)"))),
                Arguments.of(
                        "both: one service of each type, bound ports",
                        List.of(plain(ANY, 1883), tls(ANY, 8883)),
                        LAN,
                        List.of(
                                new MdnsService(MdnsService.MQTT, "Drawbridge on garagepi", 1883, "0.0.0.0:1883"),
                                new MdnsService(
                                        MdnsService.SECURE_MQTT,
                                        "Drawbridge on garagepi",
                                        8883,
                                        "0.0.0.0:8883 (tls)"))),
                Arguments.of("loopback-only listener: not on the LAN", List.of(plain(LOOPBACK, 1883)), LAN, List.of()),
                Arguments.of(
                        "loopback-only listener: on loopback itself (how the tests advertise)",
                        List.of(plain(LOOPBACK, 1883)),
                        LOOPBACK,
                        List.of(new MdnsService(MdnsService.MQTT, "Drawbridge on garagepi", 1883, "127.0.0.1:1883"))),
                Arguments.of(
                        "listener bound to this address",
                        List.of(tls(LAN, 8883)),
                        LAN,
                        List.of(new MdnsService(
                                MdnsService.SECURE_MQTT, "Drawbridge on garagepi", 8883, "192.168.1.20:8883 (tls)"))),
                Arguments.of(
                        "listener bound to another interface's address: not here",
                        List.of(tls(OTHER_LAN, 8883)),
                        LAN,
                        List.of()),
                Arguments.of(
                        "WebSocket listener: not MQTT over TCP, not advertised",
                        List.of(websockets(ANY, 9001)),
                        LAN,
                        List.of()),
                Arguments.of(
                        "two listeners of one type: the second named by its port",
                        List.of(tls(ANY, 8883), tls(ANY, 8884)),
                        LAN,
                        List.of(
                                new MdnsService(
                                        MdnsService.SECURE_MQTT, "Drawbridge on garagepi", 8883, "0.0.0.0:8883 (tls)"),
                                new MdnsService(
                                        MdnsService.SECURE_MQTT,
                                        "Drawbridge on garagepi (port 8884)",
                                        8884,
                                        "0.0.0.0:8884 (tls)"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plansServices(String description, List<BoundListener> listeners, InetAddress on, List<MdnsService> expected) {
        assertThat(MdnsPlan.services(listeners, "garagepi", on)).as(description).isEqualTo(expected);
    }

    @Test
    void loopbackOnlyIsALoopbackBinding() {
        assertThat(MdnsPlan.loopbackOnly(plain(LOOPBACK, 1883))).isTrue();
        assertThat(MdnsPlan.loopbackOnly(plain(ANY, 1883))).isFalse();
        assertThat(MdnsPlan.loopbackOnly(plain(LAN, 1883))).isFalse();
    }

    @Test
    void hostNameIsOneLowerCaseLabel() {
        String name = MdnsAdvertiser.hostName();

        assertThat(name).isNotEmpty().doesNotContain(".").isLowerCase();
    }

    @Test
    void lanAddressesNeverIncludeLoopback() {
        assertThat(MdnsAdvertiser.lanAddresses()).noneMatch(InetAddress::isLoopbackAddress);
    }

    private static BoundListener plain(InetAddress bound, int port) {
        return listener(bound, port, ListenerConfig.Protocol.MQTT, Optional.empty());
    }

    private static BoundListener tls(InetAddress bound, int port) {
        TlsConfig tls = new TlsConfig(
                Optional.empty(),
                Optional.empty(),
                Path.of("server.crt"),
                Path.of("server.key"),
                Optional.empty(),
                false,
                false,
                false,
                true,
                List.of("TLSv1.3", "TLSv1.2"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        return listener(bound, port, ListenerConfig.Protocol.MQTT, Optional.of(tls));
    }

    private static BoundListener websockets(InetAddress bound, int port) {
        return listener(bound, port, ListenerConfig.Protocol.WEBSOCKETS, Optional.empty());
    }

    private static BoundListener listener(
            InetAddress bound, int port, ListenerConfig.Protocol protocol, Optional<TlsConfig> tls) {
        ListenerConfig config = new ListenerConfig(
                port,
                Optional.of(bound.getHostAddress()),
                ListenerConfig.SocketDomain.ANY,
                protocol,
                -1,
                tls,
                SecurityConfig.anonymous());
        return new BoundListener(config, new InetSocketAddress(bound, port));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
