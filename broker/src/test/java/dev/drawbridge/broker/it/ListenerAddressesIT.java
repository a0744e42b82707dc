package dev.drawbridge.broker.it;

import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several listeners, each bound to its own address. */
class ListenerAddressesIT {

    @Test
    void eachListenerAnswersOnlyOnItsOwnAddress(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"), "listener 0 127.0.0.1\nlistener 0 127.0.0.2\nallow_anonymous true\n");
        try (Drawbridge broker = Drawbridge.start(conf)) {
            int first = broker.listeners().get(0).port();
            int second = broker.listeners().get(1).port();
            assertThat(broker.listeners().get(0).address().getAddress().getHostAddress())
                    .isEqualTo("127.0.0.1");
            assertThat(broker.listeners().get(1).address().getAddress().getHostAddress())
                    .isEqualTo("127.0.0.2");

            // Each port is open on its own address only. The probe's own address is the port's address, so the kernel
            // cannot pick the probed port as the probe's source port (a TCP self-connect would look like a listener).
            assertThatThrownBy(() -> connect("127.0.0.1", "127.0.0.2", first)).isInstanceOf(IOException.class);
            if (first != second) {
                assertThatThrownBy(() -> connect("127.0.0.2", "127.0.0.1", second))
                        .isInstanceOf(IOException.class);
            }

            // And both feed the same broker: published on one, received on the other.
            try (ClientProcess sub = subscribed(first, "-t", "across", "-C", "1")) {
                List<String> pub = List.of(
                        "mosquitto_pub",
                        "-h",
                        "127.0.0.2",
                        "-p",
                        Integer.toString(second),
                        "-t",
                        "across",
                        "-m",
                        "hello");
                assertThat(MosquittoClients.run(pub).exitCode()).isZero();
                sub.awaitLine("hello"::equals, Duration.ofSeconds(10));
            }
        }
    }

    private static void connect(String from, String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(host, port), 2000);
        }
    }
}
