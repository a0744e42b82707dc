package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.awaitConnected;
import static dev.drawbridge.broker.it.bridge.BridgeSides.mosquittoOn;
import static dev.drawbridge.broker.it.bridge.BridgeSides.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cleansession false}: what is published here for the remote broker while it is down waits in Drawbridge's
 * store, also across a Drawbridge restart, and all of it reaches the remote broker once it is back (counted, duplicates
 * reported). The remote broker is the real Mosquitto 2.0.11 with persistence, so its own subscriber's session (which
 * collects the messages) outlives its restart too.
 */
class BridgeQueueIT {

    private static final String STATE = "$SYS/broker/connection/dbtest/state";
    private static final int QUEUED = 50;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "Drawbridge restarted in between: {0}")
    @ValueSource(booleans = {false, true})
    void qos1MessagesPublishedWhileTheRemoteIsDownAllArriveWhenItIsBack(boolean restartDrawbridge) throws Exception {
        int remotePort = Ports.free();
        String[] remoteLines = remoteLines();
        List<String> localLines = localLines(remotePort);
        MosquittoBroker remote = mosquittoOn(remotePort, dir, "remote", remoteLines);
        Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), localLines);
        try {
            openCollectorSession(remotePort);
            awaitConnected(local.port(), STATE);
            publish(local.port(), "-t", "house/sensors/t", "-m", "before", "-q", "1");

            try (ClientProcess state = MosquittoClients.sub(local.port(), "-t", STATE, "-F", "%p")) {
                remote.close();
                state.awaitLine("0"::equals, WAIT);
            }
            String lines = String.join(
                    "\n",
                    IntStream.rangeClosed(1, QUEUED).mapToObj(i -> "m" + i).toList());
            var sent = MosquittoClients.run(List.of(
                    "sh",
                    "-c",
                    "printf '%s\\n' \"$0\" | mosquitto_pub -h 127.0.0.1 -p " + local.port()
                            + " -q 1 -t house/sensors/t -l",
                    lines));
            assertThat(sent.exitCode()).as("%s", sent.stderr()).isZero();
            if (restartDrawbridge) {
                local.close();
                local = DrawbridgeBroker.start(dir.resolve("local"), localLines);
            }
            remote = mosquittoOn(remotePort, dir, "remote", remoteLines);

            List<String> collected = collect(remotePort, QUEUED + 1, 15);
            Map<String, Integer> counts = new HashMap<>();
            collected.forEach(p -> counts.merge(p, 1, Integer::sum));
            assertThat(counts.keySet())
                    .as("distinct messages at the remote broker (duplicates: %s)", counts)
                    .containsAll(IntStream.rangeClosed(1, QUEUED)
                            .mapToObj(i -> "m" + i)
                            .toList())
                    .contains("before");
            assertThat(collected).as("nothing else arrived").hasSize(QUEUED + 1);
        } finally {
            local.close();
            remote.close();
        }
    }

    /**
     * A {@code topic} line taken out of the configuration between two runs no longer carries messages, although the
     * persistent local session still held its subscription (Mosquitto also drops it).
     */
    @Test
    void aTopicLineRemovedBetweenTwoRunsNoLongerCarriesMessages() throws Exception {
        try (MosquittoBroker remote = BridgeSides.mosquitto(dir, "remote")) {
            List<String> first = new ArrayList<>(localLines(remote.port()));
            List<String> second = List.copyOf(first);
            first.add("topic alarm/# out 1 house/ cloud/house/");
            try (Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), first)) {
                awaitConnected(local.port(), STATE);
            }
            try (Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), second);
                    ClientProcess collector = BridgeSides.subscriber(remote.port(), "#")) {
                awaitConnected(local.port(), STATE);
                publish(local.port(), "-t", "house/alarm/door", "-m", "no-longer-bridged", "-q", "1");
                publish(local.port(), "-t", "house/sensors/t", "-m", "still-bridged", "-q", "1");

                // Both go through the bridge's one local session, in order: the second arriving shows the first
                // would have arrived before it.
                collector.awaitLine("1 0 cloud/house/sensors/t still-bridged"::equals, WAIT);
                assertThat(BridgeSides.messages(collector)).noneMatch(l -> l.contains("no-longer-bridged"));
            }
        }
    }

    @Test
    void messagesQueueFromTheStartEvenBeforeTheRemoteWasEverReached() throws Exception {
        int remotePort = Ports.free();
        String[] remoteLines = remoteLines();
        try (MosquittoBroker once = mosquittoOn(remotePort, dir, "remote", remoteLines)) {
            openCollectorSession(once.port());
        }
        try (Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), localLines(remotePort))) {
            for (int i = 1; i <= 5; i++) {
                publish(local.port(), "-t", "house/sensors/t", "-m", "early" + i, "-q", "1");
            }
            try (MosquittoBroker remote = mosquittoOn(remotePort, dir, "remote", remoteLines)) {
                assertThat(collect(remote.port(), 5, 15))
                        .containsExactlyInAnyOrder("early1", "early2", "early3", "early4", "early5");
            }
        }
    }

    @Test
    void queuedMessagesSurviveAKill9OfTheDrawbridgeJar() throws Exception {
        int remotePort = Ports.free();
        int localPort = Ports.free();
        String[] remoteLines = remoteLines();
        try (MosquittoBroker once = mosquittoOn(remotePort, dir, "remote", remoteLines)) {
            openCollectorSession(once.port());
        }
        List<String> confLines =
                new ArrayList<>(List.of("listener " + localPort + " 127.0.0.1", "allow_anonymous true"));
        confLines.addAll(localLines(remotePort));
        Path conf = Files.write(dir.resolve("drawbridge.conf"), confLines);
        try (ClientProcess first = BrokerJar.start(dir, "-c", conf.toString())) {
            String lines = String.join(
                    "\n",
                    IntStream.rangeClosed(1, QUEUED).mapToObj(i -> "k" + i).toList());
            var sent = MosquittoClients.run(List.of(
                    "sh",
                    "-c",
                    "printf '%s\\n' \"$0\" | mosquitto_pub -h 127.0.0.1 -p " + localPort
                            + " -q 1 -t house/sensors/t -l",
                    lines));
            assertThat(sent.exitCode()).as("%s", sent.stderr()).isZero();
            first.kill(); // SIGKILL: nothing is flushed or closed on the way out
        }
        try (ClientProcess again = BrokerJar.start(dir, "-c", conf.toString());
                MosquittoBroker remote = mosquittoOn(remotePort, dir, "remote", remoteLines)) {
            Map<String, Integer> counts = new HashMap<>();
            collect(remote.port(), QUEUED, 20).forEach(p -> counts.merge(p, 1, Integer::sum));
            assertThat(counts.keySet())
                    .as("distinct messages at the remote broker (duplicates: %s)", counts)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, QUEUED)
                            .mapToObj(i -> "k" + i)
                            .toList());
            assertThat(again.isAlive()).as("the restarted broker").isTrue();
        }
    }

    /** The remote Mosquitto's lines: a store of its own, so that the collector's session outlives its restart. */
    private String[] remoteLines() throws IOException {
        return BridgeSides.persistentRemoteLines(dir);
    }

    /** The local Drawbridge's lines: a store of its own and the bridge {@code dbtest}. */
    private List<String> localLines(int remotePort) throws IOException {
        return BridgeSides.persistentBridgeLines(
                dir, "dbtest", remotePort, "topic sensors/# out 1 house/ cloud/house/");
    }

    /** Leaves the collector's persistent session on the remote broker: messages queue there while it is away. */
    private static void openCollectorSession(int remotePort) throws IOException, InterruptedException {
        assertThat(collector(remotePort, "-W", "1").exitCode()).isIn(0, 27); // 27: -W timed out, as meant
    }

    /** The payloads the collector gets, in its persistent session, until it has {@code count} or the time is up. */
    private static List<String> collect(int remotePort, int count, int seconds)
            throws IOException, InterruptedException {
        return collector(remotePort, "-C", Integer.toString(count), "-W", Integer.toString(seconds), "-F", "%p")
                .stdout();
    }

    /** mosquitto_sub as the collector: client id {@code collector}, clean session off, {@code cloud/#} at QoS 1. */
    private static MosquittoClients.Result collector(int remotePort, String... args)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-c", "-i", "collector", "-q", "1", "-t", "cloud/#"));
        all.addAll(List.of(args));
        return MosquittoClients.subUntilDone(remotePort, all.toArray(String[]::new));
    }
}
