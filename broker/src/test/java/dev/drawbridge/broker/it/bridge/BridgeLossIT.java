package dev.drawbridge.broker.it.bridge;

import static dev.drawbridge.broker.it.bridge.BridgeSides.WAIT;
import static dev.drawbridge.broker.it.bridge.BridgeSides.awaitConnected;
import static dev.drawbridge.broker.it.bridge.BridgeSides.mosquittoOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.DrawbridgeBroker;
import dev.drawbridge.broker.it.differential.MosquittoBroker;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS 1 under load across a {@code cleansession false} bridge to the real Mosquitto 2.0.11: {@value #N} numbered
 * messages published on Drawbridge at a steady pace, a kill -9 midway, and every number must reach the collector (a
 * persistent QoS 1 session on Mosquitto). Duplicates are allowed by QoS 1; they are counted and printed.
 */
class BridgeLossIT {

    private static final int N = 2000;
    private static final String STATE = "$SYS/broker/connection/loss/state";
    private static final Duration DELIVERY = Duration.ofSeconds(40);
    /** mosquitto_pub -d: the broker acknowledged the message with this packet id. */
    private static final Pattern PUBACK = Pattern.compile("received PUBACK \\(Mid: (\\d+),");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyMessageArrivesWhenTheRemoteIsKilledAndRestartedMidway() throws Exception {
        int remotePort = Ports.free();
        String[] remoteLines = remoteLines();
        collectorSessionIn(remotePort, remoteLines);
        MosquittoBroker remote = mosquittoOn(remotePort, dir, "remote", remoteLines);
        try (Drawbridge local = DrawbridgeBroker.start(dir.resolve("local"), localLines(remotePort))) {
            awaitConnected(local.port(), STATE);
            ClientProcess before = collector(remotePort);
            ClientProcess after = null;
            try (ClientProcess publisher = publisher(local.port());
                    ClientProcess state = MosquittoClients.sub(local.port(), "-t", STATE, "-F", "%p")) {
                Awaitility.await("a quarter of the messages at the collector")
                        .atMost(WAIT)
                        .until(() -> numbers(before).size() >= N / 4);
                remote.signal("KILL");
                remote.close();
                before.close(); // not to fight the next collector over the session
                state.awaitLine("0"::equals, WAIT);
                remote = mosquittoOn(remotePort, dir, "remote", remoteLines);
                after = collector(remotePort);
                assertThat(publisher.waitFor(WAIT))
                        .as("mosquitto_pub: %s", publisher.stderr())
                        .isZero();
                assertThat(acknowledged(publisher))
                        .as("all acknowledged by Drawbridge")
                        .hasSize(N);
                ClientProcess second = after;
                awaitAll(everyNumber(), before, second);
                report("remote kill -9", N, before, second);
            } finally {
                before.close();
                if (after != null) {
                    after.close();
                }
            }
        } finally {
            remote.close();
        }
    }

    /**
     * The rule asserted: every message Drawbridge acknowledged (PUBACK) to the publisher before the kill arrives;
     * the ones it had not acknowledged were the publisher's to resend.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAcknowledgedMessageArrivesWhenDrawbridgeIsKilledAndRestartedMidway() throws Exception {
        int remotePort = Ports.free();
        int localPort = Ports.free();
        String[] remoteLines = remoteLines();
        List<String> conf = new ArrayList<>(List.of("listener " + localPort + " 127.0.0.1", "allow_anonymous true"));
        conf.addAll(localLines(remotePort));
        Path confFile = Files.write(dir.resolve("drawbridge.conf"), conf);
        MosquittoBroker remote = mosquittoOn(remotePort, dir, "remote", remoteLines);
        try (ClientProcess collector = collector(remotePort)) {
            Set<Integer> acked;
            int published;
            try (ClientProcess first = BrokerJar.start(dir, "-c", confFile.toString())) {
                awaitConnected(localPort, STATE);
                ClientProcess publisher = publisher(localPort);
                try {
                    Awaitility.await("a quarter of the messages acknowledged")
                            .atMost(WAIT)
                            .until(() -> acknowledged(publisher).size() >= N / 4);
                    first.kill(); // SIGKILL: nothing is flushed or closed on the way out
                } finally {
                    // mosquitto_pub would keep retrying; stopped before the restart, so that every PUBACK it
                    // counts came from the killed broker.
                    publisher.close();
                }
                acked = acknowledged(publisher);
                published = (int) publisher.stdout().stream()
                        .filter(l -> l.contains("sending PUBLISH (d0"))
                        .count();
            }
            assertThat(acked).as("the kill came midway").hasSizeLessThan(N);
            try (ClientProcess again = BrokerJar.start(dir, "-c", confFile.toString())) {
                awaitAll(acked, collector);
                report("Drawbridge kill -9", published, collector);
                System.out.printf(
                        "BridgeLossIT: Drawbridge kill -9: %d acknowledged before the kill, all received%n",
                        acked.size());
                assertThat(again.isAlive()).as("the restarted broker").isTrue();
            }
        } finally {
            remote.close();
        }
    }

    /**
     * The remote Mosquitto's lines: a store of its own, and no queue limit, so that Mosquitto itself drops nothing for
     * the collector while it reconnects.
     */
    private String[] remoteLines() throws Exception {
        return BridgeSides.persistentRemoteLines(dir, "max_queued_messages 0");
    }

    /** The local Drawbridge's lines: a store of its own and the bridge {@code loss}. */
    private List<String> localLines(int remotePort) throws Exception {
        return BridgeSides.persistentBridgeLines(dir, "loss", remotePort, "topic load/# out 1");
    }

    /** Leaves the collector's persistent session in Mosquitto's store (saved by a clean stop, not by a kill -9). */
    private void collectorSessionIn(int remotePort, String[] remoteLines) throws Exception {
        try (MosquittoBroker once = mosquittoOn(remotePort, dir, "remote", remoteLines)) {
            MosquittoClients.subUntilDone(once.port(), "-c", "-i", "collector", "-q", "1", "-t", "load/#", "-W", "1");
        }
    }

    private static ClientProcess collector(int port) throws Exception {
        return MosquittoClients.subscribed(port, "-c", "-i", "collector", "-q", "1", "-t", "load/#", "-F", "%p");
    }

    /** mosquitto_pub -l fed one number a line, about one every 2 ms (some 4 s for all). */
    private static ClientProcess publisher(int port) throws Exception {
        String numbers = "perl -e '$|=1; use Time::HiRes; for (0.." + (N - 1)
                + ") { print \"$_\\n\"; Time::HiRes::sleep(0.002) }'";
        // exec: the process started is mosquitto_pub itself, so closing it stops the publisher (perl then ends on
        // its broken pipe) and nothing outlives the test.
        return ClientProcess.start(List.of(
                "bash",
                "-c",
                "exec stdbuf -oL mosquitto_pub -d -h 127.0.0.1 -p " + port + " -i loss-publisher -q 1 -t load/n -l < <("
                        + numbers + ")"));
    }

    /** The numbers acknowledged so far: mosquitto_pub numbers its messages from packet id 1 in order. */
    private static Set<Integer> acknowledged(ClientProcess publisher) {
        Set<Integer> numbers = new TreeSet<>();
        for (String line : publisher.stdout()) {
            Matcher m = PUBACK.matcher(line);
            if (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)) - 1);
            }
        }
        return numbers;
    }

    private static List<Integer> numbers(ClientProcess collector) {
        return collector.stdout().stream()
                .filter(l -> l.matches("\\d+"))
                .map(Integer::valueOf)
                .toList();
    }

    private static Set<Integer> everyNumber() {
        return IntStream.range(0, N).boxed().collect(Collectors.toSet());
    }

    private static void awaitAll(Set<Integer> expected, ClientProcess... collectors) {
        try {
            Awaitility.await("every expected number at the collector")
                    .atMost(DELIVERY)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> received(collectors).keySet().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(received(collectors).keySet());
            throw new AssertionError(missing.size() + " of " + expected.size() + " never arrived: " + missing, e);
        }
    }

    private static Map<Integer, Integer> received(ClientProcess... collectors) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (ClientProcess c : collectors) {
            numbers(c).forEach(n -> counts.merge(n, 1, Integer::sum));
        }
        return counts;
    }

    private static void report(String what, int sent, ClientProcess... collectors) {
        Map<Integer, Integer> counts = received(collectors);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                "BridgeLossIT: %s: %d sent, %d received, %d distinct, %d duplicates%n",
                what, sent, total, counts.size(), total - counts.size());
    }
}
