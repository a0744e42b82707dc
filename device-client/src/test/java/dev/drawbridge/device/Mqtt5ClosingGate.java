package dev.drawbridge.device;

import dev.drawbridge.keystores.KeyMaterial;
import dev.drawbridge.keystores.TrustMaterial;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS front for a broker that speaks MQTT 5, making it look like one that does not, as Mosquitto before 1.6 did: it
 * reads each client's CONNECT, closes the connection without a CONNACK when the protocol level is 5, and otherwise
 * passes the connection on, byte for byte, to the broker's TLS listener as the device (its certificate). Mosquitto
 * 2.0.11 itself cannot be told to refuse MQTT 5.
 */
final class Mqtt5ClosingGate implements AutoCloseable {

    private final SSLServerSocket server;
    private final SSLContext upstreamTls;
    private final int upstreamPort;
    private final List<Integer> levels = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private Mqtt5ClosingGate(SSLServerSocket server, SSLContext upstreamTls, int upstreamPort) {
        this.server = server;
        this.upstreamTls = upstreamTls;
        this.upstreamPort = upstreamPort;
    }

    /** Listens on a free port of 127.0.0.1 as {@code server.crt}, in front of the broker's TLS port. */
    static Mqtt5ClosingGate start(TestPki pki, int brokerTlsPort) throws Exception {
        TrustMaterial trust = TrustMaterial.load(pki.file("ca.crt"), null);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(
                KeyMaterial.load(pki.file("server.key"), pki.file("server.crt"), null)
                        .keyManagerFactory()
                        .getKeyManagers(),
                trust.trustManagerFactory().getTrustManagers(),
                null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(
                KeyMaterial.load(pki.file("device.key"), pki.file("device.crt"), null)
                        .keyManagerFactory()
                        .getKeyManagers(),
                trust.trustManagerFactory().getTrustManagers(),
                null);
        SSLServerSocket server = (SSLServerSocket)
                serverTls.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        Mqtt5ClosingGate gate = new Mqtt5ClosingGate(server, clientTls, brokerTlsPort);
        Thread acceptor = new Thread(gate::accept, "mqtt5-closing-gate");
        acceptor.setDaemon(true);
        acceptor.start();
        return gate;
    }

    int port() {
        return server.getLocalPort();
    }

    /** The protocol level of each CONNECT seen, in order. */
    List<Integer> levels() {
        return List.copyOf(levels);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread connection = new Thread(() -> serve(client), "mqtt5-closing-gate-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            byte[] connect = readPacket(client.getInputStream());
            // CONNECT: fixed header, remaining length, then the protocol name (2-byte length and "MQTT") and level
            int headerLength = 2;
            while ((connect[headerLength - 1] & 0x80) != 0) {
                headerLength++;
            }
            int level = connect[headerLength + 6] & 0xFF;
            levels.add(level);
            if (level == 5) {
                client.close();
                return;
            }
            SSLSocket broker = (SSLSocket)
                    upstreamTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), upstreamPort);
            sockets.add(broker);
            broker.getOutputStream().write(connect);
            broker.getOutputStream().flush();
            Thread down = new Thread(() -> pipe(broker, client), "mqtt5-closing-gate-down");
            down.setDaemon(true);
            down.start();
            pipe(client, broker);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** One MQTT packet: its fixed header byte, its remaining length and its body. */
    private static byte[] readPacket(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(data.readUnsignedByte());
        int length = 0;
        int shift = 0;
        int digit;
        do {
            digit = data.readUnsignedByte();
            packet.write(digit);
            length |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[length];
        data.readFully(body);
        packet.write(body);
        return packet.toByteArray();
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(Mqtt5ClosingGate::closeQuietly);
    }
}
