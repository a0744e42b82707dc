package dev.drawbridge.broker.it.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code try_private}'s fall-back, as Mosquitto's bridge does it: a remote broker that answers the CONNECT with the
 * bridge bit (protocol level 0x84) by CONNACK 0x01 "unacceptable protocol version" is connected to again with a plain
 * 0x04. Both Mosquitto and Drawbridge accept the bit, so the remote here is a scripted one on a real socket, as an
 * older or stricter broker would answer.
 */
class BridgeTryPrivateIT {

    private static final int SO_TIMEOUT_MS = (int) Duration.ofSeconds(20).toMillis();

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // the broker only has to run while its bridge connects
    void aRemoteThatRefusesTheBridgeBitIsConnectedToAgainWithoutIt() throws Exception {
        try (ServerSocket remote = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            remote.setSoTimeout(SO_TIMEOUT_MS);
            try (Drawbridge local = DrawbridgeBroker.start(
                    dir.resolve("local"),
                    List.of(
                            "connection strict",
                            "address 127.0.0.1:" + remote.getLocalPort(),
                            "remote_clientid strict-bridge",
                            "restart_timeout 1",
                            "topic power/# out 1"))) {
                List<Integer> levels = new ArrayList<>();
                try (Socket first = remote.accept()) {
                    levels.add(connectLevel(first));
                    answer(first, 0x01); // unacceptable protocol version
                }
                try (Socket second = remote.accept()) {
                    levels.add(connectLevel(second));
                    answer(second, 0x00);
                }
                assertThat(levels).as("protocol levels of the two CONNECTs").containsExactly(0x84, 0x04);
            }
        }
    }

    /** Reads a CONNECT up to its protocol level byte; fails on anything else. */
    private static int connectLevel(Socket socket) throws IOException {
        socket.setSoTimeout(SO_TIMEOUT_MS);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readUnsignedByte()).as("CONNECT's fixed header").isEqualTo(0x10);
        int digit;
        do {
            digit = in.readUnsignedByte(); // the remaining length
        } while ((digit & 0x80) != 0);
        byte[] name = new byte[in.readUnsignedShort()];
        in.readFully(name);
        assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("MQTT");
        return in.readUnsignedByte();
    }

    private static void answer(Socket socket, int returnCode) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {0x20, 0x02, 0x00, (byte) returnCode});
        out.flush();
    }
}
