package dev.drawbridge.broker.it.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code max_pending_connections_per_address}: sockets that never send CONNECT must not lock a real client out. When an
 * address is over the limit, the oldest pending socket makes room, never the newcomer.
 */
class PendingConnectionsIT {

    @RegisterExtension
    final EngineBroker broker = EngineBroker.startedBeforeEachTest();

    private final List<Socket> idle = new ArrayList<>();

    @AfterEach
    void closeIdle() throws IOException {
        for (Socket socket : idle) {
            socket.close();
        }
    }

    @Test
    void aThousandIdleSocketsDoNotLockOutANormalClient() throws Exception {
        for (int i = 0; i < 1000; i++) {
            idle.add(openIdle());
        }

        assertThat(normalClientConnects("after-1000-idle")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        Awaitility.await("the oldest idle socket closed by the broker")
                .atMost(Duration.ofSeconds(10))
                .until(() -> closedByBroker(idle.get(0)));
    }

    @Test
    void aNormalClientConnectsAfter200QuickConnectAndCloseCycles() throws Exception {
        for (int i = 0; i < 200; i++) {
            openIdle().close();
        }

        assertThat(normalClientConnects("after-200-cycles")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
    }

    private Socket openIdle() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port());
        socket.setSoTimeout(1);
        return socket;
    }

    private Mqtt3ConnAckReturnCode normalClientConnects(String id) {
        Mqtt3AsyncClient client = broker.client(id);
        try {
            return client.connect().orTimeout(10, TimeUnit.SECONDS).join().getReturnCode();
        } finally {
            EngineBroker.disconnect(client);
        }
    }

    private static boolean closedByBroker(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}
