package dev.drawbridge.broker.it.process;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.broker.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket transport the broker jar chose, as its start log says: Linux's native epoll where its library loads (the
 * jar carries it for x86_64 and aarch64), Java's NIO with the reason otherwise. Each run also serves a real client, so
 * the line is about a transport that works.
 */
class TransportStartLogIT {

    private static final Duration LINE = Duration.ofSeconds(20);
    private static final String TRANSPORT = "Network transport: ";

    @TempDir
    Path dir;

    private final List<ClientProcess> brokers = new ArrayList<>();

    @AfterEach
    void stop() {
        brokers.forEach(ClientProcess::close);
    }

    /** Starts the jar with these JVM flags, publishes through it, stops it; returns its one transport line. */
    private String transportLine(List<String> jvmFlags) throws Exception {
        int port = Ports.free();
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        ClientProcess broker = BrokerJar.start(dir, jvmFlags, "-c", conf.toString());
        brokers.add(broker);
        Result published = pub(port, "-t", "transport/check", "-q", "1", "-m", "ok");
        assertThat(published.exitCode())
                .as("mosquitto_pub through %s: %s", jvmFlags, published.stderr())
                .isZero();
        assertThat(BrokerJar.stop(broker)).isZero();
        List<String> lines = broker.output().stream()
                .filter(line -> line.contains(TRANSPORT))
                .toList();
        assertThat(lines).as("transport lines with %s", jvmFlags).hasSize(1);
        String line = lines.get(0);
        return line.substring(line.indexOf(TRANSPORT));
    }

    @Test
    void nativeEpollIsUsedAndSaidOnLinuxX8664AndAarch64() throws Exception {
        boolean shipped = System.getProperty("os.name").equals("Linux")
                && List.of("amd64", "aarch64").contains(System.getProperty("os.arch"));

        String line = transportLine(List.of());

        if (shipped) {
            assertThat(line).isEqualTo("Network transport: native epoll.");
        } else {
            assertThat(line).startsWith("Network transport: NIO (native epoll not available: ");
        }
    }

    @Test
    void nioIsSaidWithItsReasonWhenEpollIsSwitchedOff() throws Exception {
        assertThat(transportLine(List.of("-Ddrawbridge.transport=nio")))
                .isEqualTo("Network transport: NIO (drawbridge.transport=nio).");
        // Netty's own switch: epoll does not load, and the line says why.
        assertThat(transportLine(List.of("-Dio.netty.transport.noNative=true")))
                .startsWith("Network transport: NIO (native epoll not available: ")
                .contains("noNative");
    }

    @Test
    void theJarCarriesNativeEpollForX8664AndAarch64() throws Exception {
        try (JarFile jar = new JarFile(BrokerJar.jar().toFile())) {
            List<String> natives = Collections.list(jar.entries()).stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith("META-INF/native/libnetty_transport_native_epoll"))
                    .toList();
            assertThat(natives)
                    .containsExactlyInAnyOrder(
                            "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                            "META-INF/native/libnetty_transport_native_epoll_aarch_64.so");
        }
    }
}
