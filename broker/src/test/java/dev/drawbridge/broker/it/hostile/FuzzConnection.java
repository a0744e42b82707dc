package dev.drawbridge.broker.it.hostile;

import dev.drawbridge.broker.it.hostile.RawSocket.Closed;
import dev.drawbridge.broker.it.hostile.RawSocket.Packet;
import dev.drawbridge.broker.it.hostile.RawSocket.Read;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays one {@link PacketSequence} on a fresh connection and judges what the broker did: every packet it sent back
 * must be one a server may send (CONNACK first, and once; after an MQTT 5 CONNACK, as MQTT 5 packets), and at the end the connection must be closed or answer a
 * PINGREQ - once the bytes of a packet left unfinished have been completed, since the broker may rightly wait for
 * those. Every read is bounded.
 */
final class FuzzConnection {

    /** How the connection ended, after the sequence and the closing PINGREQ. */
    enum Ending {
        /** The broker closed it. */
        CLOSED,
        /** It answered the PINGREQ: still open and in step. */
        ANSWERS_PINGREQ,
        /**
         * A remaining length over {@code max_packet_size} did not close the connection at once, only once the first
         * bytes of the body came.
         */
        WAITS_PAST_LIMIT,
        /**
         * Silent at a packet boundary, but a flood of zero bytes got it answering or closing: the decoder was reading
         * past the end of a packet, as far as a length inside the packet said.
         */
        READ_PAST_PACKET,
        /**
         * Silent at a packet boundary, and still after the flood, yet it went on reading: the decoder buffers what
         * comes for a length read past the packet (up to 256 MiB: a properties length).
         */
        BUFFERS_PAST_PACKET,
        /** Silent, still silent after the flood, and no longer reading: hung. */
        HUNG
    }

    /**
     * @param ending how the connection ended
     * @param transcript what was sent and received, one line each, for a failure message
     * @param problems the broken rules; empty when the broker did everything right
     * @param mqtt5 whether the broker accepted the connection as MQTT 5 (its CONNACK had properties)
     */
    record Outcome(Ending ending, List<String> transcript, List<String> problems, boolean mqtt5) {}

    private static final Duration DRAIN = Duration.ofMillis(2);
    /** How long a close due at once may take on a busy machine. */
    private static final Duration SOON = Duration.ofSeconds(1);
    /**
     * How long a PINGRESP is waited for before the flood. It takes a millisecond on loopback; one that comes later is
     * still told apart from a decoder reading past a packet, since that one swallowed the PINGREQ and never answers.
     */
    private static final Duration PINGRESP = Duration.ofMillis(300);
    /** How long a connection that seems stuck is given after the flood. */
    private static final Duration ANSWER = Duration.ofSeconds(3);
    /** Enough bytes for the variable header of any packet, sent after a fixed header that announces too many. */
    private static final int VARIABLE_HEADER = 64;
    /**
     * Zeros, more than a few string lengths inside packets can claim (65535 each): a decoder reading past a packet
     * reads lengths of 0 from them and soon fails, one at a packet boundary fails on the first (packet type 0).
     */
    private static final byte[] FLOOD = new byte[300_000];
    /** More than the socket buffers of a loopback connection hold: written only if the broker keeps reading. */
    private static final int BUFFERED_FLOOD_MIB = 16;

    private final RawSocket socket;
    private final long remainingLengthLimit;
    private final Framing framing = new Framing();
    private final List<String> transcript = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int received;
    private int pingresps;
    /** Whether the broker's CONNACK was an MQTT 5 one: its later packets are judged as MQTT 5 packets. */
    private boolean mqtt5;

    private boolean closed;

    private FuzzConnection(RawSocket socket, long remainingLengthLimit) {
        this.socket = socket;
        this.remainingLengthLimit = remainingLengthLimit;
    }

    static Outcome play(int port, PacketSequence sequence, long remainingLengthLimit) {
        try (RawSocket socket = RawSocket.open(port)) {
            return new FuzzConnection(socket, remainingLengthLimit).play(sequence);
        }
    }

    private Outcome play(PacketSequence sequence) {
        for (FuzzPacket packet : sequence.packets()) {
            transcript.add("-> " + packet);
            for (byte[] write : packet.writes()) {
                send(write);
                drain(DRAIN);
                if (closed) {
                    return outcome(Ending.CLOSED);
                }
            }
        }
        return outcome(settle());
    }

    /** Completes an unfinished packet, then asks for a PINGRESP. */
    private Ending settle() {
        if (framing.where() == Framing.Where.IN_LENGTH) {
            send(new byte[] {0}, "end of the remaining length");
        }
        boolean pastLimit = framing.where() == Framing.Where.BAD_LENGTH
                || (framing.where() == Framing.Where.IN_BODY && framing.lastDeclared() > remainingLengthLimit);
        if (pastLimit) {
            // The broker must not wait for a packet it will never take.
            if (awaitClose(SOON)) {
                return Ending.CLOSED;
            }
            send(new byte[VARIABLE_HEADER], VARIABLE_HEADER + " zero bytes");
            if (awaitClose(SOON)) {
                return Ending.WAITS_PAST_LIMIT;
            }
        } else if (framing.where() == Framing.Where.IN_BODY) {
            send(new byte[(int) framing.missing()], "the missing " + framing.missing() + " body bytes, as zeros");
        }
        if (closed) {
            return Ending.CLOSED;
        }
        if (!pastLimit) {
            send(Wire.PINGREQ, "PINGREQ");
            Optional<Ending> answered = awaitPingrespOrClose(PINGRESP);
            if (answered.isPresent()) {
                return answered.get();
            }
        }
        send(FLOOD, FLOOD.length + " zero bytes");
        Optional<Ending> afterFlood = awaitPingrespOrClose(ANSWER);
        if (afterFlood.isPresent()) {
            // A late PINGRESP means the PINGREQ was read as one; a close without it, that it was swallowed.
            return pingresps > 0 ? Ending.ANSWERS_PINGREQ : Ending.READ_PAST_PACKET;
        }
        // Silent still: a broker that goes on taking bytes is buffering them for a length read past the packet; one
        // that stops taking them has stopped reading the connection.
        transcript.add("-> up to " + BUFFERED_FLOOD_MIB + " MiB more zero bytes");
        if (takes(BUFFERED_FLOOD_MIB, ANSWER) && !awaitClose(PINGRESP)) {
            transcript.add("   (all taken, no answer)");
            return Ending.BUFFERS_PAST_PACKET;
        }
        if (closed) {
            return Ending.READ_PAST_PACKET;
        }
        problems.add("hung: no answer and no close " + ANSWER.toSeconds() + " s after " + FLOOD.length
                + " more bytes, and it stopped reading");
        return Ending.HUNG;
    }

    /** Whether {@code mib} MiB of zeros could be written within the timeout (the broker kept reading). */
    private boolean takes(int mib, Duration timeout) {
        byte[] mebibyte = new byte[1 << 20];
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < mib; i++) {
                socket.send(mebibyte);
            }
        });
        try {
            write.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false; // the write ends when the socket is closed
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<Ending> awaitPingrespOrClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Read read = socket.read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (read instanceof Closed c) {
                onClosed(c);
                return Optional.of(Ending.CLOSED);
            }
            if (read instanceof Packet p) {
                onPacket(p.bytes());
                if ((p.bytes()[0] & 0xff) == 0xd0) {
                    pingresps++;
                    drain(Duration.ofMillis(20));
                    return Optional.of(closed ? Ending.CLOSED : Ending.ANSWERS_PINGREQ);
                }
            }
        }
        return Optional.empty();
    }

    private boolean awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && System.nanoTime() < deadline) {
            Read read = socket.read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (read instanceof Closed c) {
                onClosed(c);
            } else if (read instanceof Packet p) {
                onPacket(p.bytes());
            }
        }
        return closed;
    }

    private void send(byte[] bytes, String what) {
        transcript.add("-> " + what);
        send(bytes);
    }

    private void send(byte[] bytes) {
        socket.send(bytes);
        framing.feed(bytes);
    }

    /** Reads what has arrived, until {@code quiet} passes without a packet. */
    private void drain(Duration quiet) {
        while (!closed) {
            Read read = socket.read(quiet);
            if (read instanceof Closed c) {
                onClosed(c);
            } else if (read instanceof Packet p) {
                onPacket(p.bytes());
            } else {
                return;
            }
        }
    }

    private void onPacket(byte[] packet) {
        transcript.add("<- " + Wire.describe(packet));
        boolean connAck = (packet[0] & 0xff) == 0x20;
        if (received == 0 && connAck) {
            // An MQTT 5 CONNACK has properties: remaining length 3 or more. The connection speaks what it says.
            mqtt5 = packet.length > 4;
        }
        (mqtt5 ? ServerPackets.problemV5(packet) : ServerPackets.problem(packet))
                .ifPresent(p -> problems.add("garbage from the broker (" + p + "): " + Wire.hex(packet)));
        if (received == 0 && !connAck) {
            problems.add("the first packet from the broker is not a CONNACK: " + Wire.describe(packet));
        } else if (received > 0 && connAck) {
            problems.add("a second CONNACK: " + Wire.describe(packet));
        }
        received++;
    }

    private void onClosed(Closed how) {
        closed = true;
        transcript.add("<- closed (" + how.how() + ")");
        if (how.how().contains("inside")) {
            problems.add("closed in the middle of a packet: " + how.how());
        }
    }

    private Outcome outcome(Ending ending) {
        return new Outcome(ending, List.copyOf(transcript), List.copyOf(problems), mqtt5);
    }
}
