package dev.drawbridge.broker.it;

import static dev.drawbridge.broker.testing.MosquittoClients.pub;
import static dev.drawbridge.broker.testing.MosquittoClients.subUntilDone;
import static dev.drawbridge.broker.testing.MosquittoClients.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code $SYS/broker/...}: the README's topics, published retained every {@code sys_interval} seconds. */
class SysIT {

    /** The topics the README promises, under {@code $SYS/broker/}. */
    private static final List<String> README_TOPICS = List.of(
            "version",
            "uptime",
            "clients/connected",
            "clients/total",
            "clients/maximum",
            "messages/received",
            "messages/sent",
            "publish/messages/received",
            "publish/messages/sent",
            "publish/messages/dropped",
            "subscriptions/count",
            "retained messages/count",
            "load/bytes/received",
            "load/bytes/sent");

    /** Between topic and payload in mosquitto_sub's output; no topic above contains it. */
    private static final String SEPARATOR = " => ";

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Drawbridge broker;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Path conf = Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener 0 127.0.0.1\nallow_anonymous true\nsys_interval 1\n",
                StandardCharsets.UTF_8);
        broker = Drawbridge.start(conf);
        port = broker.port();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** The latest value of each {@code $SYS} topic a watcher has printed. */
    private static Map<String, String> latest(ClientProcess watcher) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : watcher.stdout()) {
            int at = line.indexOf(SEPARATOR);
            if (line.startsWith("$SYS/") && at > 0) {
                values.put(line.substring(0, at), line.substring(at + SEPARATOR.length()));
            }
        }
        return values;
    }

    private ClientProcess watch(String id) throws Exception {
        return subscribed(port, "-i", id, "-t", "$SYS/broker/#", "-F", "%t" + SEPARATOR + "%p");
    }

    @Test
    void everyReadmeTopicIsPublished() throws Exception {
        try (ClientProcess watcher = watch("sys-watcher")) {
            List<String> expected =
                    README_TOPICS.stream().map(t -> "$SYS/broker/" + t).toList();

            Awaitility.await("every $SYS topic of the README")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(latest(watcher)).containsKeys(expected.toArray(String[]::new)));

            Map<String, String> values = latest(watcher);
            assertThat(values.get("$SYS/broker/version")).startsWith("drawbridge version ");
            assertThat(values.get("$SYS/broker/uptime")).matches("\\d+ seconds");
            for (String topic : expected) {
                if (!topic.endsWith("/version") && !topic.endsWith("/uptime")) {
                    assertThat(values.get(topic)).as(topic).matches("\\d+");
                }
            }
        }
    }

    @Test
    void sysTopicsAreRetained() throws Exception {
        Result version = subUntilDone(port, "-t", "$SYS/broker/version", "-C", "1", "-W", "10", "-F", "%r %p");
        Result uptime = subUntilDone(port, "-t", "$SYS/broker/uptime", "-C", "1", "-W", "10", "-F", "%r %p");

        assertThat(version.stdout()).singleElement().asString().startsWith("1 drawbridge version ");
        assertThat(uptime.stdout()).singleElement().asString().matches("1 \\d+ seconds");
    }

    @Test
    void clientsConnectedCountsAConnectedClient() throws Exception {
        try (ClientProcess watcher = watch("sys-watcher")) {
            awaitValue(watcher, "clients/connected", "1");

            try (ClientProcess other = subscribed(port, "-i", "counted", "-t", "some/topic")) {
                awaitValue(watcher, "clients/connected", "2");
                awaitValue(watcher, "clients/maximum", "2");
                other.kill();
            }

            awaitValue(watcher, "clients/connected", "1");
            awaitValue(watcher, "clients/maximum", "2");
        }
    }

    @Test
    void countersMove() throws Exception {
        try (ClientProcess watcher = watch("sys-watcher")) {
            // After two full rounds the $SYS topics themselves are retained and counted.
            Awaitility.await("two rounds of $SYS")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> rounds(watcher) >= 2);
            long published = number(watcher, "publish/messages/received");
            long retained = number(watcher, "retained messages/count");

            assertThat(pub(port, "-t", "count/me", "-q", "1", "-m", "x").exitCode())
                    .isZero();
            assertThat(pub(port, "-t", "count/me", "-r", "-m", "kept").exitCode())
                    .isZero();

            awaitNumber(watcher, "publish/messages/received", n -> n >= published + 2);
            awaitNumber(watcher, "retained messages/count", n -> n == retained + 1);
            awaitNumber(watcher, "subscriptions/count", n -> n == 1);
            awaitNumber(watcher, "load/bytes/received", n -> n > 0);
            awaitNumber(watcher, "load/bytes/sent", n -> n > 0);
        }
    }

    /** How many complete rounds the watcher has seen: {@code load/bytes/sent} is the last topic of each. */
    private static long rounds(ClientProcess watcher) {
        return watcher.stdout().stream()
                .filter(line -> line.startsWith("$SYS/broker/load/bytes/sent" + SEPARATOR))
                .count();
    }

    /** The latest value of {@code $SYS/broker/TOPIC} as a number, -1 if none has arrived yet. */
    private static long number(ClientProcess watcher, String topic) {
        String value = latest(watcher).get("$SYS/broker/" + topic);
        return value == null ? -1 : Long.parseLong(value);
    }

    private static void awaitNumber(ClientProcess watcher, String topic, LongPredicate wanted) {
        Awaitility.await("$SYS/broker/" + topic)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> wanted.test(number(watcher, topic)));
    }

    private static void awaitValue(ClientProcess watcher, String topic, String value) {
        Awaitility.await("$SYS/broker/" + topic + " = " + value)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> value.equals(latest(watcher).get("$SYS/broker/" + topic)));
    }
}
