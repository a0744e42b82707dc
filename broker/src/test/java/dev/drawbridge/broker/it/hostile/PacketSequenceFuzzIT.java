package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.hostile.FuzzConnection.Ending;
import dev.drawbridge.broker.it.hostile.FuzzConnection.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of what one client may send (issue 8): a broker started once takes random sequences of MQTT
 * packets, well-formed and broken, each on its own raw connection. After every sequence the broker must have answered
 * only with packets a server may send, left the connection closed or in step, logged no ERROR and no stack trace, and
 * still serve a normal client; after all of them it must count as many connected clients as before.
 *
 * <p>The same property runs on MQTT 5 connections ({@link FuzzPacketsV5}): packets with properties, reason codes and
 * subscription options, and the broker's answers judged as MQTT 5 packets.
 *
 * <p>200 sequences of each by default (CI); {@code -Dfuzz.tries=20000} for a long run and {@code -Dfuzz.seed=...} to replay one
 * (jqwik prints the seed of every run). A failure is shrunk to a short sequence, printed a packet a line in hex.
 */
class PacketSequenceFuzzIT {

    /** {@code max_packet_size} of the broker under test; its decoder's remaining-length limit is 4 bytes less. */
    static final int MAX_PACKET_SIZE = 65_536;

    static final int REMAINING_LENGTH_LIMIT = MAX_PACKET_SIZE - 4;

    private static final Duration ANSWER = Duration.ofSeconds(5);

    /**
     * Endings that are known bugs: counted in the statistics, not failed, until the fix lands (then remove the entry and
     * the property fails on them again).
     */
    private static final Map<Ending, String> KNOWN_BUGS = Map.of();

    /**
     * Log lines with a stack trace that are known bugs, by a part of their message: counted in the statistics, not
     * failed.
     */
    private static final Map<String, String> KNOWN_LOG_LINES = Map.of();

    private static Path dir;
    private static Drawbridge broker;
    private static int port;
    private static BrokerLog log;
    private static long baselineConnected;
    private static final List<String> uncaught = new CopyOnWriteArrayList<>();
    private static Thread.UncaughtExceptionHandler previousHandler;
    private static final AtomicInteger tries = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        log = new BrokerLog();
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
        dir = Files.createTempDirectory("fuzz");
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                String.join(
                        "\n",
                        "listener 0 127.0.0.1",
                        "allow_anonymous true",
                        "max_packet_size " + MAX_PACKET_SIZE,
                        // Sessions the fuzz leaves behind queue every normal client's message: keep them small.
                        "max_queued_messages 20",
                        // $SYS/broker/clients/connected is how the broker reports its open connections.
                        "sys_interval 1",
                        ""));
        broker = Drawbridge.start(conf);
        port = broker.port();
        baselineConnected = SysClients.connectedSeenByAFreshClient(port, n -> true, ANSWER);
    }

    @AfterContainer
    static void stop() throws IOException {
        if (broker != null) {
            broker.close();
        }
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        if (log != null) {
            log.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzSettings.class)
    void brokerSurvivesAnyPacketSequence(@ForAll("sequences") PacketSequence sequence) {
        survives(sequence);
    }

    /** The same on MQTT 5 connections: a level 5 CONNECT, then MQTT 5 packets with properties, valid and not. */
    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzSettings.class)
    void brokerSurvivesAnyMqtt5PacketSequence(@ForAll("mqtt5Sequences") PacketSequence sequence) {
        survives(sequence);
    }

    private static void survives(PacketSequence sequence) {
        int n = tries.incrementAndGet();
        int logged = log.lines().size();

        Outcome outcome = FuzzConnection.play(port, sequence, REMAINING_LENGTH_LIMIT);
        Statistics.label("ending").collect(outcome.ending());
        Statistics.label("CONNACK").collect(outcome.mqtt5() ? "MQTT 5" : "MQTT 3.1.1 or none");
        String transcript = String.join("\n    ", outcome.transcript());
        assertThat(outcome.problems())
                .as("what the broker did wrong on the fuzz connection:\n    %s\n", transcript)
                .isEmpty();
        if (!KNOWN_BUGS.containsKey(outcome.ending())) {
            assertThat(outcome.ending())
                    .as("how the fuzz connection ended:\n    %s\n", transcript)
                    .isIn(Ending.CLOSED, Ending.ANSWERS_PINGREQ);
        }

        NormalClient.roundTrip(port, "check-" + n, ANSWER);

        List<BrokerLog.Line> lines = log.lines();
        List<BrokerLog.Line> errors = lines.subList(Math.min(logged, lines.size()), lines.size()).stream()
                .filter(l -> l.level().isGreaterOrEqual(Level.ERROR) || l.hasStackTrace())
                .toList();
        errors.stream()
                .flatMap(l -> KNOWN_LOG_LINES.keySet().stream().filter(l.message()::contains))
                .forEach(known -> Statistics.label("known log lines").collect(known));
        assertThat(errors.stream()
                        .filter(l -> KNOWN_LOG_LINES.keySet().stream().noneMatch(l.message()::contains))
                        .toList())
                .as("ERROR lines and stack traces logged for this sequence:\n    %s\n", transcript)
                .isEmpty();
        assertThat(uncaught).as("uncaught exceptions in any thread").isEmpty();
    }

    /**
     * Found by this fuzz on the broker's first core: a CONNECT with a broken packet right behind it (here a SUBSCRIBE
     * with an empty filter) logged an ERROR with an exception. The client gets its CONNACK, then the close, and
     * nothing is logged above INFO.
     */
    @Example
    void aBrokenPacketRightBehindTheConnectIsJudgedAfterTheConnack() {
        int logged = log.lines().size();
        for (int i = 0; i < 20; i++) {
            byte[] bytes = Wire.concat(
                    Wire.connect("fuzz-behind-" + i), // CONNECT, clean session, keepalive 60
                    Wire.bytes("82 05 0001 0000 00")); // SUBSCRIBE id 1, filter "" (MQTT-4.7.3-1), QoS 0
            try (RawSocket socket = RawSocket.open(port)) {
                socket.send(bytes);
                assertThat(Wire.describe(socket.expectPacket(ANSWER)))
                        .as("answer %d to a CONNECT with a SUBSCRIBE of an empty filter behind it", i)
                        .isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
                assertThat(socket.read(ANSWER)).isInstanceOf(RawSocket.Closed.class);
            }
        }
        NormalClient.roundTrip(port, "check-behind", ANSWER);
        List<BrokerLog.Line> lines = log.lines();
        assertThat(lines.subList(logged, lines.size()).stream()
                        .filter(l -> l.level().isGreaterOrEqual(Level.WARN) || l.hasStackTrace())
                        .toList())
                .as("WARN and ERROR lines and stack traces")
                .isEmpty();
    }

    /**
     * A packet that closes the connection ends what the broker takes from that client (MQTT-4.8.0-1): a retained
     * PUBLISH in the same write right behind a SUBSCRIBE with an empty filter is not stored.
     */
    @Example
    void nothingBehindAPacketThatClosesTheConnectionIsProcessed() {
        try (RawSocket socket = RawSocket.open(port)) {
            socket.send(Wire.connect("fuzz-after-close"));
            assertThat(Wire.describe(socket.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
            socket.send(Wire.concat(
                    Wire.bytes("82 05 0001 0000 00"), // SUBSCRIBE id 1, filter "" (MQTT-4.7.3-1), QoS 0
                    Wire.packet(0x31, Wire.concat(Wire.utf8("behind/close"), "kept?".getBytes(UTF_8))))); // retained
            assertThat(socket.read(ANSWER)).isInstanceOf(RawSocket.Closed.class);
        }
        try (RawSocket check = RawSocket.open(port)) {
            check.send(Wire.connect("check-after-close"));
            assertThat(Wire.describe(check.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
            check.send(Wire.subscribe(1, "behind/#", 0));
            assertThat(Wire.describe(check.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.bytes("90 03 0001 00")));
            // UNSUBSCRIBE runs on the session's queue behind any retained delivery: its UNSUBACK is a barrier.
            check.send(Wire.packet(0xa2, Wire.concat(Wire.u16(2), Wire.utf8("behind/#"))));
            List<String> beforeBarrier = new ArrayList<>();
            for (byte[] p = check.expectPacket(ANSWER); (p[0] & 0xff) != 0xb0; p = check.expectPacket(ANSWER)) {
                beforeBarrier.add(Wire.describe(p));
            }
            assertThat(beforeBarrier).as("retained under behind/#").isEmpty();
        }
    }

    /**
     * Found by this fuzz (a DISCONNECT of remaining length 2 among the shrunk packets): Netty 4.1's decoder reads a
     * reason code and MQTT 5 properties in any DISCONNECT longer than one byte, and waits for as many property bytes as
     * their length says, buffering them. The broker must close instead of taking 16 MiB from a client whose
     * {@code max_packet_size} is 64 KiB.
     */
    @Example
    void aDisconnectCannotMakeTheBrokerBufferPastItsPacket() {
        try (RawSocket socket = RawSocket.open(port)) {
            socket.send(Wire.connect("fuzz-disconnect-properties"));
            assertThat(Wire.describe(socket.expectPacket(ANSWER))).isEqualTo(Wire.describe(Wire.CONNACK_ACCEPTED));
            socket.send(Wire.bytes(
                    "e0 02" // DISCONNECT, remaining length 2
                            + " 00" // read by Netty as a reason code
                            + " ff ff ff 7f")); // and this as a properties length of 268435455
            assertThat(closesWhileTaking(socket, 16))
                    .as("the broker closed the connection while 16 MiB were sent to it")
                    .isTrue();
        }
    }

    /**
     * The same before authentication: a first CONNECT of 14 bytes, protocol level 5, whose properties length says 256
     * MiB. The broker may answer CONNACK 0x01 (MQTT 5 is not spoken here), and must close.
     */
    @Example
    void anMqtt5ConnectCannotMakeTheBrokerBufferPastItsPacket() {
        try (RawSocket socket = RawSocket.open(port)) {
            socket.send(Wire.bytes(
                    "10 0e" // CONNECT, remaining length 14
                            + " 0004 4d515454" // protocol name "MQTT"
                            + " 05 02 003c" // level 5, clean start, keepalive 60
                            + " ff ff ff 7f")); // properties length 268435455
            assertThat(closesWhileTaking(socket, 16))
                    .as("the broker closed the connection while 16 MiB were sent to it")
                    .isTrue();
        }
    }

    /**
     * Writes {@code mib} MiB of zeros (in the background: a broker that stops reading blocks the write, and closing the
     * socket ends it); true when the broker closes the connection, after any packets, within the answer time.
     */
    private static boolean closesWhileTaking(RawSocket socket, int mib) {
        byte[] mebibyte = new byte[1 << 20];
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < mib; i++) {
                socket.send(mebibyte);
            }
        });
        RawSocket.Read read = socket.read(ANSWER);
        while (read instanceof RawSocket.Packet) {
            read = socket.read(ANSWER);
        }
        write.cancel(false);
        return read instanceof RawSocket.Closed;
    }

    /** Runs after the property (and the example): the connections are all gone from the broker's count. */
    @AfterProperty
    void noConnectionLeft() {
        long connected =
                SysClients.connectedSeenByAFreshClient(port, n -> n == baselineConnected, Duration.ofSeconds(15));
        assertThat(connected)
                .as("$SYS/broker/clients/connected after %d sequences (the reading client included)", tries.get())
                .isEqualTo(baselineConnected);
    }

    @Provide
    Arbitrary<PacketSequence> sequences() {
        return FuzzPackets.sequences(12, REMAINING_LENGTH_LIMIT);
    }

    @Provide
    Arbitrary<PacketSequence> mqtt5Sequences() {
        return FuzzPacketsV5.sequences(12, REMAINING_LENGTH_LIMIT);
    }

    /** Tries and seed from {@code -Dfuzz.tries} and {@code -Dfuzz.seed}, passed on by failsafe. */
    static final class FuzzSettings implements AroundPropertyHook {

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("fuzz.tries", 200));
            String seed = System.getProperty("fuzz.seed", "");
            if (!seed.isBlank()) {
                context.attributes().setSeed(seed);
            }
            return property.execute();
        }
    }
}
