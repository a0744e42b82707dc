package dev.drawbridge.broker.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest MQTT client that drives {@link CdsTraining}'s broker through its everyday packets: CONNECT (3.1.1 or
 * 5), SUBSCRIBE, PUBLISH at QoS 0 and 1, PUBACK, DISCONNECT. Every read has a timeout, and an unexpected packet is an
 * error, so that a broker that answers wrongly fails the training instead of archiving a half-run.
 */
final class TrainingClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int level;
    private int nextPacketId = 1;

    private TrainingClient(Socket socket, int level) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.level = level;
    }

    /** Connects with a clean session at protocol level 4 (3.1.1) or 5 and waits for a CONNACK that accepts. */
    static TrainingClient connect(int port, String clientId, int level) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            TrainingClient client = new TrainingClient(socket, level);
            client.sendConnect(clientId);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void sendConnect(String clientId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(level);
        body.write(0x02); // clean session / clean start
        body.write(0);
        body.write(60); // keepalive 60 s
        properties(body);
        string(body, clientId);
        send(0x10, body);
        byte[] connack = expect(0x20);
        if (connack.length < 2 || connack[1] != 0) {
            throw new IOException("CONNACK refused the training client " + clientId);
        }
    }

    /** One filter at QoS 1; waits for a SUBACK granting a QoS. */
    void subscribe(String filter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        packetId(body, nextPacketId++);
        properties(body);
        string(body, filter);
        body.write(1);
        send(0x82, body);
        byte[] suback = expect(0x90);
        if ((suback[suback.length - 1] & 0xFF) > 2) {
            throw new IOException("SUBACK refused " + filter);
        }
    }

    /** PUBLISH at QoS 0 or 1; at QoS 1 waits for its PUBACK. */
    void publish(String topic, int qos, String payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            packetId(body, nextPacketId++);
        }
        properties(body);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        send(0x30 | qos << 1, body);
        if (qos > 0) {
            expect(0x40);
        }
    }

    /** Waits for a PUBLISH and acknowledges it if it came at QoS 1; returns its payload. */
    String receive() throws IOException {
        int first = in.readUnsignedByte();
        byte[] body = readBody();
        if ((first & 0xF0) != 0x30) {
            throw new IOException("expected a PUBLISH, found packet type " + (first >> 4));
        }
        int qos = first >> 1 & 0x03;
        int at = 2 + ((body[0] & 0xFF) << 8 | body[1] & 0xFF);
        if (qos > 0) {
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            ack.write(body[at]);
            ack.write(body[at + 1]);
            send(0x40, ack);
            at += 2;
        }
        if (level == 5) {
            at += 1 + body[at]; // properties (the broker sends short ones, one length byte)
        }
        return new String(body, at, body.length - at, StandardCharsets.UTF_8);
    }

    void disconnect() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (level == 5) {
            body.write(0); // normal disconnection
            body.write(0); // no properties
        }
        send(0xE0, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] expect(int type) throws IOException {
        int first = in.readUnsignedByte();
        byte[] body = readBody();
        if ((first & 0xF0) != type) {
            throw new IOException("expected packet type " + (type >> 4) + ", found " + (first >> 4));
        }
        return body;
    }

    private byte[] readBody() throws IOException {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
            if (shift == 21) {
                throw new IOException("remaining length longer than 4 bytes");
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    private void send(int first, ByteArrayOutputStream body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(first);
        int length = body.size();
        do {
            int digit = length & 0x7F;
            length >>>= 7;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        body.writeTo(packet);
        out.write(packet.toByteArray());
        out.flush();
    }

    private void properties(ByteArrayOutputStream body) {
        if (level == 5) {
            body.write(0);
        }
    }

    private static void packetId(ByteArrayOutputStream body, int id) {
        body.write(id >> 8);
        body.write(id & 0xFF);
    }

    private static void string(ByteArrayOutputStream body, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        body.write(bytes.length >> 8);
        body.write(bytes.length & 0xFF);
        body.writeBytes(bytes);
    }
}
