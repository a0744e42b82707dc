package dev.drawbridge.broker.it.differential;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} at {@code -V 5} with every PUBLISH property {@code -D}
 * sets, against Drawbridge and against the real Mosquitto 2.0.11 in the same test: what the subscriber prints must be
 * the same. {@code mosquitto_sub} prints each delivery as topic, payload, QoS, retain, user properties, content type,
 * correlation data, response topic, payload format and message expiry; the expiry is compared apart, as a range,
 * because a broker that counts it down may cross a second boundary between receipt and delivery (Mosquitto does).
 *
 * <p>{@code mosquitto_sub} 2.0.11 can set neither no local nor a subscription identifier ({@code -D subscribe} takes
 * only user properties), so this test covers retain as published, the one subscription option it has; no local and
 * identifiers are covered with the HiveMQ client in {@code SessionV5Kill9IT} and raw packets elsewhere.
 */
class MosquittoClientsV5IT {

    /** The delivery as {@code mosquitto_sub -F} prints it; {@code %E} (message expiry) last, checked on its own. */
    private static final String FORMAT = "%t|%p|%q|%r|%P|%C|%D|%R|%F|%E";

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final List<String> ALL_PROPERTIES = List.of(
            "-D",
            "publish",
            "user-property",
            "room",
            "garage",
            "-D",
            "publish",
            "user-property",
            "room",
            "hall",
            "-D",
            "publish",
            "content-type",
            "text/plain",
            "-D",
            "publish",
            "correlation-data",
            "req-7",
            "-D",
            "publish",
            "response-topic",
            "reply/door",
            "-D",
            "publish",
            "payload-format-indicator",
            "1",
            "-D",
            "publish",
            "message-expiry-interval",
            "3600");

    @TempDir
    Path dir;

    @Test
    void everyPublishPropertyArrivesUnchangedAndInOrderAsFromMosquitto() throws Exception {
        List<String> expected = List.of("door/state|open|1|0|room:garage room:hall|text/plain|req-7|reply/door|1|");

        assertSameDeliveries(this::liveRoundTrip, expected, 3599, 3600);
    }

    @Test
    void aRetainedMessageKeepsItsPropertiesAndCountsDownItsExpiry() throws Exception {
        // The retained copy is read by a subscriber that comes after the PUBLISH; with retain as published the live
        // copy keeps its RETAIN flag, without it the flag is cleared (MQTT-3.3.1-12/13), as the second line shows.
        List<String> expected = List.of(
                "door/state|open|1|1|room:garage room:hall|text/plain|req-7|reply/door|1|",
                "door/state|open|1|1|room:garage room:hall|text/plain|req-7|reply/door|1|",
                "door/state|open|1|0|room:garage room:hall|text/plain|req-7|reply/door|1|");

        assertSameDeliveries(this::retained, expected, 3590, 3600);
    }

    @Test
    void aQueuedMessageForAnExpiringSessionKeepsItsPropertiesAsInMosquitto() throws Exception {
        // -c -x 3600: the session outlives the connection by an hour; the QoS 1 message waits in it.
        List<String> expected = List.of("door/state|open|1|0|room:garage room:hall|text/plain|req-7|reply/door|1|");

        assertSameDeliveries(this::queued, expected, 3590, 3600);
    }

    @Test
    void aWillWithPropertiesIsPublishedWithThemWhenTheClientIsKilled() throws Exception {
        // Live without retain as published (RETAIN cleared), then the retained copy to a later subscriber.
        List<String> expected = List.of(
                "will/door|gone|1|0|k:v|text/plain|c1|reply/will|1|",
                "will/door|gone|1|1|k:v|text/plain|c1|reply/will|1|");

        assertSameDeliveries(this::will, expected, 590, 600);
    }

    @Test
    void aQos1PublishNobodySubscribedToGetsPubackNoMatchingSubscribersAsFromMosquitto() throws Exception {
        // mosquitto_pub -d prints the PUBACK's reason code; the client id is generated, so only the code is compared.
        List<String> expected = List.of("received PUBACK (Mid: 1, RC:16)", "received PUBACK (Mid: 1, RC:0)");

        assertSameDeliveries(this::noMatchingSubscribers, expected, 0, 0);
    }

    /** What one scenario printed on a broker at a port. */
    @FunctionalInterface
    private interface Scenario {
        List<String> run(int port) throws Exception;
    }

    /**
     * Runs the scenario on Mosquitto, then on Drawbridge: the lines without their expiry field must equal each other
     * and {@code expected}; every expiry must lie in [low, high] (0 when nothing is printed).
     */
    private void assertSameDeliveries(Scenario scenario, List<String> expected, long low, long high) throws Exception {
        List<String> mosquitto;
        try (MosquittoBroker reference = MosquittoBroker.start(dir, List.of())) {
            mosquitto = scenario.run(reference.port());
        }
        List<String> drawbridge;
        try (Drawbridge broker = DrawbridgeBroker.start(dir.resolve("drawbridge"), List.of())) {
            drawbridge = scenario.run(broker.port());
        }
        assertThat(withoutExpiry(drawbridge))
                .as("Drawbridge, Mosquitto printed %s", mosquitto)
                .isEqualTo(withoutExpiry(mosquitto));
        assertThat(withoutExpiry(drawbridge)).as("Drawbridge").isEqualTo(expected);
        for (List<String> lines : List.of(mosquitto, drawbridge)) {
            assertThat(expiries(lines))
                    .as("message expiry in %s", lines)
                    .allSatisfy(e -> assertThat(e).isBetween(low, high));
        }
    }

    private List<String> liveRoundTrip(int port) throws Exception {
        try (ClientProcess sub = subscribed(port, "-V", "5", "-q", "1", "-t", "door/#", "-C", "1", "-F", FORMAT)) {
            assertThat(publish(port, "-q", "1").exitCode()).isZero();
            return deliveries(sub, 1);
        }
    }

    private List<String> retained(int port) throws Exception {
        try (ClientProcess live = subscribed(
                port, "-V", "5", "-q", "1", "--retain-as-published", "-t", "door/#", "-C", "1", "-F", FORMAT)) {
            try (ClientProcess plain =
                    subscribed(port, "-V", "5", "-q", "1", "-t", "door/#", "-C", "1", "-F", FORMAT)) {
                assertThat(publish(port, "-q", "1", "-r").exitCode()).isZero();
                List<String> lines = new ArrayList<>();
                try (ClientProcess late =
                        subscribed(port, "-V", "5", "-q", "1", "-t", "door/#", "-C", "1", "-F", FORMAT)) {
                    lines.addAll(deliveries(late, 1));
                }
                lines.addAll(deliveries(live, 1));
                lines.addAll(deliveries(plain, 1));
                return lines;
            }
        }
    }

    private List<String> queued(int port) throws Exception {
        List<String> session = List.of("-V", "5", "-q", "1", "-c", "-x", "3600", "-i", "door-watcher", "-t", "door/#");
        List<String> first = new ArrayList<>(session);
        first.addAll(List.of("-E")); // subscribe, then disconnect at once
        Result subscribedOnce = MosquittoClients.subUntilDone(port, first.toArray(String[]::new));
        assertThat(subscribedOnce.exitCode()).as("%s", subscribedOnce).isZero();
        assertThat(publish(port, "-q", "1").exitCode()).isZero();
        List<String> again = new ArrayList<>(session);
        again.addAll(List.of("-C", "1", "-F", FORMAT));
        try (ClientProcess sub = MosquittoClients.sub(port, again.toArray(String[]::new))) {
            return deliveries(sub, 1);
        }
    }

    private List<String> will(int port) throws Exception {
        try (ClientProcess watcher = subscribed(port, "-V", "5", "-q", "1", "-t", "will/#", "-C", "1", "-F", FORMAT);
                ClientProcess dying = subscribed(
                        port,
                        "-V",
                        "5",
                        "-i",
                        "dying",
                        "-t",
                        "anything",
                        "--will-topic",
                        "will/door",
                        "--will-payload",
                        "gone",
                        "--will-qos",
                        "1",
                        "--will-retain",
                        "-D",
                        "will",
                        "user-property",
                        "k",
                        "v",
                        "-D",
                        "will",
                        "content-type",
                        "text/plain",
                        "-D",
                        "will",
                        "correlation-data",
                        "c1",
                        "-D",
                        "will",
                        "response-topic",
                        "reply/will",
                        "-D",
                        "will",
                        "payload-format-indicator",
                        "1",
                        "-D",
                        "will",
                        "message-expiry-interval",
                        "600")) {
            assertThat(delivered(watcher)).as("nothing before the kill").isEmpty();
            dying.kill(); // SIGKILL: no DISCONNECT, the will must be published
            List<String> lines = new ArrayList<>(deliveries(watcher, 1));
            // The will was retained: a new subscriber reads it back with its properties and RETAIN set.
            try (ClientProcess late = subscribed(port, "-V", "5", "-q", "1", "-t", "will/#", "-C", "1", "-F", FORMAT)) {
                lines.addAll(deliveries(late, 1));
            }
            return lines;
        }
    }

    private List<String> noMatchingSubscribers(int port) throws Exception {
        List<String> acks = new ArrayList<>();
        acks.add(pubackOf(pub(port, "-V", "5", "-d", "-q", "1", "-t", "nobody/listens", "-m", "x")));
        // Positive control: the same PUBLISH with a subscriber is acknowledged with success.
        try (ClientProcess sub = subscribed(port, "-V", "5", "-t", "nobody/listens", "-C", "1")) {
            acks.add(pubackOf(pub(port, "-V", "5", "-d", "-q", "1", "-t", "nobody/listens", "-m", "x")));
            sub.awaitLine("x"::equals, WAIT);
        }
        return acks;
    }

    private static String pubackOf(Result result) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result.stdout().stream()
                .filter(l -> l.contains("received PUBACK"))
                .map(l -> l.substring(l.indexOf("received PUBACK")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no PUBACK in " + result));
    }

    /** {@code mosquitto_pub -V 5} with every property and the extra options, payload {@code open}. */
    private static Result publish(int port, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-V", "5", "-t", "door/state", "-m", "open"));
        args.addAll(List.of(options));
        args.addAll(ALL_PROPERTIES);
        return pub(port, args.toArray(String[]::new));
    }

    /** The first {@code count} deliveries the subscriber printed (its {@code -d} lines left out). */
    private static List<String> deliveries(ClientProcess sub, int count) {
        Awaitility.await(count + " deliveries")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> delivered(sub).size() >= count);
        return delivered(sub).subList(0, count);
    }

    private static List<String> delivered(ClientProcess sub) {
        return sub.stdout().stream().filter(l -> l.contains("|")).toList();
    }

    private static List<String> withoutExpiry(List<String> lines) {
        return lines.stream()
                .map(l -> l.contains("|") ? l.substring(0, l.lastIndexOf('|') + 1) : l)
                .toList();
    }

    private static List<Long> expiries(List<String> lines) {
        return lines.stream()
                .filter(l -> l.contains("|"))
                .map(l -> l.substring(l.lastIndexOf('|') + 1))
                .map(Long::parseLong)
                .toList();
    }
}
