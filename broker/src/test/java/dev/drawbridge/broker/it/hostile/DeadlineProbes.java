package dev.drawbridge.broker.it.hostile;

import dev.drawbridge.broker.it.hostile.RawSocket.Closed;
import dev.drawbridge.broker.it.hostile.RawSocket.Packet;
import dev.drawbridge.broker.it.hostile.RawSocket.Read;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections that stall before or after their CONNECT, opened together so that the broker's CONNECT deadline is
 * waited for once:
 *
 * <ul>
 *   <li>H82 (MQTT-3.1.4, CVE-2017-7651): a CONNECT whose remaining length promises more bytes than are sent, then
 *       silence: closed by the deadline.
 *   <li>H83 (slowloris): a CONNECT trickled one byte per second: closed by the deadline, before the CONNECT is whole.
 *   <li>H84 (many idle sockets): 50 connections that never send a byte, from 50 loopback addresses (from one address,
 *       {@code max_pending_connections_per_address} would refuse most at once: ConnectionLimitsIT): all closed by the
 *       deadline; the other tests run while they are open.
 *   <li>H85: an accepted CONNECT with keepalive 0, then silence: still open after the deadline (MQTT-3.1.2-24 applies
 *       a timeout only when the keepalive is not 0).
 *   <li>H86: an accepted CONNECT with keepalive 60, then silence for less than 1.5 times that: still open.
 * </ul>
 *
 * <p>Mosquitto 2.0.11 has no CONNECT deadline: H82-H84 were all still open after 12 s (they wait for the TCP
 * keepalive); H85 and H86 were open. Drawbridge is stricter on purpose.
 */
final class DeadlineProbes implements AutoCloseable {

    /** Drawbridge's CONNECT deadline (ListenerGroup.CONNECT_DEADLINE_SECONDS); judged {@code SLACK} later. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final int IDLE_SOCKETS = 50;

    private final long startedNanos = System.nanoTime();
    private final RawSocket overpromised;
    private final RawSocket slowloris;
    private final List<RawSocket> idle = new ArrayList<>();
    private final RawSocket keepaliveZero;
    private final RawSocket keepaliveSixty;
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-slowloris");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService judgeTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-deadline-judge");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledFuture<List<String>> judged;

    /** CONNECT, client id "slowloris-client-x": 32 bytes, so it would be whole only after 31 s. */
    private static final byte[] SLOW_CONNECT = Wire.bytes("""
            10 1e            # CONNECT, remaining length 30
            0004 4d515454    # protocol name "MQTT"
            04               # level 4
            02               # clean session
            003c             # keepalive 60 s
            0012 736c6f776c6f7269732d636c69656e742d78  # client id "slowloris-client-x"
            """);

    private DeadlineProbes(int port) {
        overpromised = RawSocket.open(port);
        overpromised.send(Wire.bytes("""
                10 64            # CONNECT, remaining length 100
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"; then 87 bytes are missing
                """));
        slowloris = RawSocket.open(port);
        AtomicInteger next = new AtomicInteger();
        trickle.scheduleAtFixedRate(
                () -> {
                    int i = next.getAndIncrement();
                    if (i >= SLOW_CONNECT.length || !slowloris.trySendByte(SLOW_CONNECT[i])) {
                        trickle.shutdown();
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
        for (int i = 0; i < IDLE_SOCKETS; i++) {
            idle.add(RawSocket.openFrom("127.0.1." + (i + 1), port));
        }
        keepaliveZero = connected(port, "deadline-k0", 0);
        keepaliveSixty = connected(port, "deadline-k60", 60);
        // Judged at a fixed time, however long the other tests take (keepalive 60 must not run out first).
        judged = judgeTimer.schedule(this::judge, DEADLINE.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
    }

    static DeadlineProbes start(int port) {
        return new DeadlineProbes(port);
    }

    private static RawSocket connected(int port, String clientId, int keepalive) {
        RawSocket socket = RawSocket.open(port);
        byte[] connect = Wire.connect(clientId);
        // keepalive is bytes 10-11 of this CONNECT: 10 len 0004 MQTT 04 02 [keepalive]
        connect[10] = (byte) (keepalive >> 8);
        connect[11] = (byte) keepalive;
        socket.send(connect);
        byte[] connack = socket.expectPacket(Duration.ofSeconds(5));
        if (!Arrays.equals(connack, Wire.CONNACK_ACCEPTED)) {
            throw new AssertionError(clientId + " was not accepted: " + Wire.describe(connack));
        }
        return socket;
    }

    /** The answers {@link #verdicts()} must give. */
    List<String> expected() {
        return List.of(
                "H82 overpromised CONNECT: closed",
                "H83 slowloris CONNECT: closed",
                "H84 " + IDLE_SOCKETS + " idle sockets: " + IDLE_SOCKETS + " closed",
                "H85 keepalive 0, silent: open",
                "H86 keepalive 60, silent: open");
    }

    /** The verdicts, judged in the background once the deadline (with slack) has passed since the probes opened. */
    List<String> verdicts() {
        try {
            return judged.get(DEADLINE.plus(SLACK).toSeconds() + 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the deadline probes could not be judged", e);
        }
    }

    private List<String> judge() {
        List<String> out = new ArrayList<>();
        out.add("H82 overpromised CONNECT: " + closedByDeadline(overpromised));
        out.add("H83 slowloris CONNECT: " + closedByDeadline(slowloris));
        int closed = 0;
        List<String> others = new ArrayList<>();
        for (RawSocket socket : idle) {
            String verdict = closedByDeadline(socket);
            if (verdict.equals("closed")) {
                closed++;
            } else if (others.size() < 3) {
                others.add(verdict);
            }
        }
        out.add("H84 " + IDLE_SOCKETS + " idle sockets: " + closed + " closed"
                + (others.isEmpty() ? "" : " " + others));
        out.add("H85 keepalive 0, silent: " + stillOpen(keepaliveZero));
        out.add("H86 keepalive 60, silent: " + stillOpen(keepaliveSixty));
        return out;
    }

    private Duration left() {
        Duration passed = Duration.ofNanos(System.nanoTime() - startedNanos);
        Duration left = DEADLINE.plus(SLACK).minus(passed);
        return left.isNegative() ? Duration.ofMillis(1) : left;
    }

    private String closedByDeadline(RawSocket socket) {
        Read read = socket.read(left());
        if (read instanceof Closed) {
            return "closed";
        }
        if (read instanceof Packet p) {
            return "answered " + Wire.describe(p.bytes());
        }
        return "still open after " + DEADLINE.plus(SLACK).toSeconds() + " s";
    }

    private String stillOpen(RawSocket socket) {
        Duration wait = left();
        Read early = socket.read(wait);
        if (early instanceof Closed) {
            return "closed";
        }
        socket.send(Wire.PINGREQ);
        Read read = socket.read(Duration.ofSeconds(5));
        if (read instanceof Packet p && Arrays.equals(p.bytes(), Wire.PINGRESP)) {
            return "open";
        }
        return "no PINGRESP: " + read;
    }

    @Override
    public void close() {
        trickle.shutdownNow();
        judgeTimer.shutdownNow();
        overpromised.close();
        slowloris.close();
        idle.forEach(RawSocket::close);
        keepaliveZero.close();
        keepaliveSixty.close();
    }
}
