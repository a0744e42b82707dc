package dev.drawbridge.broker.it.crash;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * One MQTT 3.1.1 or MQTT 5 connection in raw bytes, so the crash test knows exactly which packet went out and which came back,
 * with no client library retrying or acknowledging on its own. {@link #open} returns after an accepted CONNACK; then a
 * daemon thread hands every packet to the listener until the connection drops, and says so once.
 */
final class RawMqttLink implements AutoCloseable {

    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;

    /** A packet as read: type, the low four bits of the first byte, and everything after the fixed header. */
    record Packet(int type, int flags, byte[] body) {

        int packetId(int at) {
            return ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
        }
    }

    /** What a listener hears on the reader thread. */
    interface Listener {
        void packet(RawMqttLink link, Packet packet);

        /** The connection is gone (the broker closed it, was killed, or we closed it). */
        void dropped(RawMqttLink link);
    }

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int CONNACK_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final boolean sessionPresent;
    private final boolean v5;
    private volatile boolean dropped;

    private RawMqttLink(Socket socket, DataInputStream in, boolean sessionPresent, boolean v5) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.sessionPresent = sessionPresent;
        this.v5 = v5;
    }

    /**
     * Connects to 127.0.0.1:{@code port} with CleanSession 0 or 1, waits for CONNACK and starts reading. Fails with an
     * {@link IOException} if the port does not answer or the broker refuses.
     */
    static RawMqttLink open(int port, String clientId, boolean cleanSession, Listener listener) throws IOException {
        return open(port, connect(clientId, cleanSession), clientId, false, listener);
    }

    /**
     * Connects at MQTT 5 with Clean Start 0 or 1 and a session expiry interval (seconds; 0 sends no property), waits
     * for a CONNACK with reason code 0x00 and starts reading.
     */
    static RawMqttLink openV5(int port, String clientId, boolean cleanStart, long sessionExpiry, Listener listener)
            throws IOException {
        return open(port, connectV5(clientId, cleanStart, sessionExpiry), clientId, true, listener);
    }

    private static RawMqttLink open(int port, byte[] connect, String clientId, boolean v5, Listener listener)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(connect);
            socket.setSoTimeout(CONNACK_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
            Packet connack = read(in);
            // 3.1.1: exactly flags and return code; 5: flags, reason code, then properties.
            boolean shapeOk = v5 ? connack.body().length >= 3 : connack.body().length == 2;
            if (connack.type() != 2 || !shapeOk || connack.body()[1] != 0) {
                throw new IOException("expected CONNACK accepted for " + clientId + ", found type " + connack.type()
                        + " body " + HexFormat.of().formatHex(connack.body()));
            }
            socket.setSoTimeout(0);
            RawMqttLink link = new RawMqttLink(socket, in, (connack.body()[0] & 1) == 1, v5);
            Thread reader = new Thread(() -> link.readLoop(listener), "raw-mqtt-" + clientId);
            reader.setDaemon(true);
            reader.start();
            return link;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The CONNACK's Session Present flag (MQTT 3.1.1 section 3.2.2.2). */
    boolean sessionPresent() {
        return sessionPresent;
    }

    boolean isDropped() {
        return dropped;
    }

    boolean isV5() {
        return v5;
    }

    /** A PUBLISH received on this link, decoded at its protocol version. */
    Publish publish(Packet packet) {
        return Publish.of(packet, v5);
    }

    /** The first reason code (3.1.1: return code) of a SUBACK received on this link. */
    int subackCode(Packet packet) {
        int at = 2;
        if (v5) {
            at = Mqtt5Properties.decode(packet.body(), at).end();
        }
        return packet.body()[at] & 0xff;
    }

    /** Writes one packet; false if the connection is gone (the reader reports the drop). */
    synchronized boolean send(byte[] packet) {
        try {
            out.write(packet);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void readLoop(Listener listener) {
        try {
            while (true) {
                listener.packet(this, read(in));
            }
        } catch (IOException | RuntimeException e) {
            // EOF or reset: the broker went away, or close() shut the socket.
        } finally {
            dropped = true;
            close();
            listener.dropped(this);
        }
    }

    private static Packet read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException();
        }
        int length = 0;
        int shift = 0;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length |= (digit & 0x7f) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0 && shift < 28);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0f, body);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Encoding (MQTT 3.1.1)

    private static byte[] connect(String clientId, boolean cleanSession) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string("MQTT")); // protocol name
        body.write(4); // protocol level 4 = 3.1.1
        body.write(cleanSession ? 0x02 : 0x00); // connect flags: only CleanSession
        body.writeBytes(u16(60)); // keepalive 60 s
        body.writeBytes(string(clientId));
        return packet(0x10, body.toByteArray());
    }

    private static byte[] connectV5(String clientId, boolean cleanStart, long sessionExpiry) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string("MQTT")); // protocol name
        body.write(5); // protocol level 5
        body.write(cleanStart ? 0x02 : 0x00); // connect flags: only Clean Start
        body.writeBytes(u16(60)); // keepalive 60 s
        Mqtt5Properties properties = sessionExpiry == 0
                ? Mqtt5Properties.NONE
                : Mqtt5Properties.NONE.with(Mqtt5Properties.SESSION_EXPIRY, Long.toString(sessionExpiry));
        body.writeBytes(properties.encode());
        body.writeBytes(string(clientId));
        return packet(0x10, body.toByteArray());
    }

    /**
     * MQTT 5 SUBSCRIBE with one filter, its options byte (QoS, no local 0x04, retain as published 0x08, retain handling
     * bits 4-5) and a subscription identifier (0: none).
     */
    static byte[] subscribeV5(int packetId, String filter, int options, int subscriptionIdentifier) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(u16(packetId));
        Mqtt5Properties properties = subscriptionIdentifier == 0
                ? Mqtt5Properties.NONE
                : Mqtt5Properties.NONE.with(
                        Mqtt5Properties.SUBSCRIPTION_IDENTIFIER, Integer.toString(subscriptionIdentifier));
        body.writeBytes(properties.encode());
        body.writeBytes(string(filter));
        body.write(options);
        return packet(0x82, body.toByteArray());
    }

    /** MQTT 5 PUBLISH QoS 1 with properties. */
    static byte[] publishV5Qos1(
            int packetId, String topic, Mqtt5Properties properties, byte[] payload, boolean retain, boolean dup) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string(topic));
        body.writeBytes(u16(packetId));
        body.writeBytes(properties.encode());
        body.writeBytes(payload);
        return packet(0x32 | (dup ? 0x08 : 0) | (retain ? 0x01 : 0), body.toByteArray());
    }

    /** DISCONNECT, normal (3.1.1, and MQTT 5 reason code 0x00 with no properties). */
    static byte[] disconnect() {
        return packet(0xE0, new byte[0]);
    }

    /** SUBSCRIBE (flags 0010) with one filter. */
    static byte[] subscribe(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(u16(packetId));
        body.writeBytes(string(filter));
        body.write(qos);
        return packet(0x82, body.toByteArray());
    }

    /** PUBLISH QoS 1; {@code dup} for a re-send (section 3.3.1.1). */
    static byte[] publishQos1(int packetId, String topic, byte[] payload, boolean retain, boolean dup) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string(topic));
        body.writeBytes(u16(packetId));
        body.writeBytes(payload);
        return packet(0x32 | (dup ? 0x08 : 0) | (retain ? 0x01 : 0), body.toByteArray());
    }

    static byte[] pubAck(int packetId) {
        return packet(0x40, u16(packetId));
    }

    /** A received PUBLISH, decoded; {@code packetId} is 0 for QoS 0; no properties at 3.1.1. */
    record Publish(String topic, int qos, boolean retain, int packetId, Mqtt5Properties properties, byte[] payload) {

        static Publish of(Packet packet) {
            return of(packet, false);
        }

        static Publish of(Packet packet, boolean v5) {
            byte[] body = packet.body();
            int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
            String topic = new String(body, 2, topicLength, UTF_8);
            int qos = (packet.flags() >> 1) & 3;
            int at = 2 + topicLength;
            int packetId = qos > 0 ? packet.packetId(at) : 0;
            at += qos > 0 ? 2 : 0;
            Mqtt5Properties properties = Mqtt5Properties.NONE;
            if (v5) {
                Mqtt5Properties.Decoded decoded = Mqtt5Properties.decode(body, at);
                properties = decoded.properties();
                at = decoded.end();
            }
            byte[] payload = Arrays.copyOfRange(body, at, body.length);
            return new Publish(topic, qos, (packet.flags() & 1) == 1, packetId, properties, payload);
        }

        String text() {
            return new String(payload, UTF_8);
        }
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(firstByte);
        int x = body.length;
        do {
            int digit = x % 128;
            x /= 128;
            out.write(x > 0 ? digit | 0x80 : digit);
        } while (x > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] string(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 2);
        out.writeBytes(u16(bytes.length));
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    /** Listener that only hands packets on; drops are read from {@link #isDropped()}. */
    static Listener onPacket(Consumer<Packet> consumer) {
        return new Listener() {
            @Override
            public void packet(RawMqttLink link, Packet packet) {
                consumer.accept(packet);
            }

            @Override
            public void dropped(RawMqttLink link) {}
        };
    }
}
