package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An MQTT 3.1 / 3.1.1 / 5 client on a plain socket, for what a library client cannot do or cannot show: protocol level
 * 3, exact answer bytes and reason codes, malformed packets, dropping the socket without DISCONNECT. It speaks the
 * protocol level of its CONNECT from then on. A reader thread takes whole packets off the socket: PUBLISHes are
 * recorded (and a QoS 1 one acknowledged), every other packet is queued for the test.
 *
 * <p>{@link #barrier()} proves that nothing is still on its way to this client: before the broker handles a packet from
 * a client it writes what was routed to that client before (within its in-flight window), so once the UNSUBACK is here,
 * every message routed to this client before the UNSUBSCRIBE was sent has arrived too. Unlike a sentinel message it
 * needs no read right.
 */
final class RawMqttClient implements AutoCloseable {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGRESP = 13;

    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** A PUBLISH this client received. */
    record Publish(String topic, String payload, int qos, boolean retain) {}

    /** A will to send with CONNECT. */
    record Will(String topic, String payload, int qos, boolean retain) {}

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<byte[]> packets = new LinkedBlockingQueue<>();
    private final List<Publish> publishes = new CopyOnWriteArrayList<>();
    private final CountDownLatch closedByPeer = new CountDownLatch(1);
    private int nextPacketId = 1;
    /** The protocol level of the last CONNECT sent; 5 switches the packets and the PUBLISH parser to MQTT 5. */
    private volatile int level = 4;

    private RawMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "raw-mqtt-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static RawMqttClient open(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            return new RawMqttClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a connection and logs in; the CONNACK's return code must be 0. */
    static RawMqttClient connected(int port, int level, String clientId, Optional<String> user, Optional<String> pw) {
        RawMqttClient client = open(port);
        int rc = client.connect(level, clientId, user, pw.map(p -> p.getBytes(UTF_8)), null);
        if (rc != 0) {
            client.close();
            throw new AssertionError(clientId + " (user " + user + ") was refused with CONNACK " + rc);
        }
        return client;
    }

    // --- high level -------------------------------------------------------------------------------------------

    /** Sends CONNECT and returns the CONNACK return code, or -1 when the broker closed without one. */
    int connect(int level, String clientId, Optional<String> user, Optional<byte[]> password, @Nullable Will will) {
        this.level = level;
        write(Packets.connect(level, clientId, user, password, will));
        byte[] answer = next(ANSWER);
        if (answer == null) {
            return -1;
        }
        if (type(answer) != CONNACK) {
            throw new AssertionError("expected CONNACK, found " + describe(answer));
        }
        return answer[3] & 0xff;
    }

    /** Subscribes and returns the granted QoS (or 0x80; in MQTT 5 the SUBACK reason code). */
    int subscribe(String filter, int qos) {
        int id = packetId();
        write(level == 5 ? Packets.subscribe5(id, filter, qos) : Packets.subscribe(id, filter, qos));
        byte[] suback = expect(SUBACK);
        return suback[suback.length - 1] & 0xff;
    }

    /**
     * Publishes; at QoS 1 waits for the PUBACK and returns its reason code (0 for MQTT 3.1 / 3.1.1 and for MQTT 5's
     * short form), at QoS 0 returns -1.
     */
    int publish(String topic, String payload, int qos, boolean retain) {
        int id = qos > 0 ? packetId() : 0;
        byte[] bytes = payload.getBytes(UTF_8);
        write(
                level == 5
                        ? Packets.publish5(topic, bytes, qos, retain, id, List.of())
                        : Packets.publish(topic, bytes, qos, retain, id));
        return qos == 1 ? reasonCode(expect(PUBACK)) : -1;
    }

    /** An MQTT 5 QoS 1 PUBLISH with user properties; returns the PUBACK's reason code. */
    int publish5(String topic, String payload, List<Map.Entry<String, String>> userProperties) {
        int id = packetId();
        write(Packets.publish5(topic, payload.getBytes(UTF_8), 1, false, id, userProperties));
        return reasonCode(expect(PUBACK));
    }

    /** The reason code of an acknowledgement with a packet id: MQTT 5's fifth byte, or 0 for the short form. */
    static int reasonCode(byte[] ack) {
        return ack.length > 4 ? ack[4] & 0xff : 0;
    }

    /** An UNSUBSCRIBE round trip: see the class comment. */
    void barrier() {
        int id = packetId();
        String filter = "barrier/never-subscribed";
        write(level == 5 ? Packets.unsubscribe5(id, filter) : Packets.unsubscribe(id, filter));
        expect(UNSUBACK);
    }

    /** A PINGREQ round trip: the connection is still up. */
    void ping() {
        write(Packets.PINGREQ);
        expect(PINGRESP);
    }

    /** Sends DISCONNECT and waits until the broker closed the connection, so its session is gone. */
    void disconnect() {
        write(Packets.DISCONNECT);
        if (!awaitClosed(ANSWER)) {
            throw new AssertionError("the broker did not close the connection after DISCONNECT");
        }
        close();
    }

    boolean received(String topic, String payload) {
        return publishes.stream()
                .anyMatch(p -> p.topic().equals(topic) && p.payload().equals(payload));
    }

    List<Publish> publishes() {
        return List.copyOf(publishes);
    }

    // --- low level --------------------------------------------------------------------------------------------

    void write(byte[] packet) {
        try {
            synchronized (out) {
                out.write(packet);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next non-PUBLISH packet, or null when none came within the timeout or the connection closed. */
    byte @Nullable [] next(Duration timeout) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                byte[] packet = packets.poll(10, TimeUnit.MILLISECONDS);
                if (packet != null) {
                    return packet;
                }
                if (closedByPeer.getCount() == 0 && packets.isEmpty()) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    byte[] expect(int type) {
        byte[] packet = next(ANSWER);
        if (packet == null || type(packet) != type) {
            throw new AssertionError("expected packet type " + type + ", found "
                    + (packet == null ? "nothing (closed: " + isClosedByPeer() + ")" : describe(packet)));
        }
        return packet;
    }

    boolean awaitClosed(Duration timeout) {
        try {
            return closedByPeer.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isClosedByPeer() {
        return closedByPeer.getCount() == 0;
    }

    static int type(byte[] packet) {
        return (packet[0] & 0xff) >> 4;
    }

    /** A packet for a failure message: its name, fields and bytes. */
    static String describe(byte @Nullable [] packet) {
        if (packet == null) {
            return "nothing (connection closed or silent)";
        }
        String name = switch (type(packet)) {
            case CONNACK -> "CONNACK rc=" + (packet.length > 3 ? packet[3] & 0xff : -1);
            case PUBACK -> "PUBACK id=" + id(packet) + " rc=" + reasonCode(packet);
            case PUBREC -> "PUBREC id=" + id(packet) + " rc=" + reasonCode(packet);
            case 7 -> "PUBCOMP id=" + id(packet) + " rc=" + reasonCode(packet);
            case SUBACK -> "SUBACK id=" + id(packet) + " codes=" + (packet[packet.length - 1] & 0xff);
            case 14 -> "DISCONNECT rc=" + (packet.length > 2 ? packet[2] & 0xff : 0);
            case UNSUBACK -> "UNSUBACK id=" + id(packet);
            case PINGRESP -> "PINGRESP";
            default -> "type " + type(packet);
        };
        return name + " [" + HEX.formatHex(packet) + "]";
    }

    private static int id(byte[] packet) {
        return packet.length >= 4 ? ((packet[2] & 0xff) << 8) | (packet[3] & 0xff) : -1;
    }

    private synchronized int packetId() {
        int id = nextPacketId;
        nextPacketId = nextPacketId == 0xffff ? 1 : nextPacketId + 1;
        return id;
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                ByteArrayOutputStream packet = new ByteArrayOutputStream();
                int first = in.read();
                if (first < 0) {
                    return;
                }
                packet.write(first);
                int length = 0;
                int shift = 0;
                int b;
                do {
                    b = in.readUnsignedByte();
                    packet.write(b);
                    length |= (b & 0x7f) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                byte[] body = new byte[length];
                in.readFully(body);
                packet.write(body);
                if ((first >> 4) == PUBLISH) {
                    onPublish(first, body);
                } else {
                    packets.add(packet.toByteArray());
                }
            }
        } catch (EOFException e) {
            // closed mid-packet
        } catch (IOException e) {
            // socket closed by us or reset by the broker
        } finally {
            closedByPeer.countDown();
        }
    }

    private void onPublish(int first, byte[] body) {
        int qos = (first >> 1) & 3;
        int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        String topic = new String(body, 2, topicLength, UTF_8);
        int offset = 2 + topicLength;
        int id = 0;
        if (qos > 0) {
            id = ((body[offset] & 0xff) << 8) | (body[offset + 1] & 0xff);
            offset += 2;
        }
        if (level == 5) {
            // MQTT 5 3.3.2.3: skip the properties behind their variable byte integer length.
            int length = 0;
            int shift = 0;
            int b;
            do {
                b = body[offset++] & 0xff;
                length |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            offset += length;
        }
        publishes.add(new Publish(topic, new String(body, offset, body.length - offset, UTF_8), qos, (first & 1) == 1));
        if (qos == 1) {
            write(Packets.ack(PUBACK, id));
        }
    }

    /** Drops the socket without DISCONNECT (the broker publishes the will). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
