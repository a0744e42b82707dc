package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.MEMBER_PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics page's API over a real socket, with an ACL from a real {@code acl_file}: console user {@code member} may
 * READ {@code home/#} only, {@code admin} everything. What a user may not read is in neither the retained tree nor the
 * live view; the APIs need a session; a bad filter gets its reason; a live view's subscription ends with the session.
 */
class ConsoleTopicsIT {

    private static final Pattern SUBSCRIPTIONS = Pattern.compile("\"subscriptions\":(\\d+)");

    @TempDir
    Path dir;

    private ConsoleBroker console;

    @BeforeEach
    void start() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), """
                # anonymous clients (the publishers here) may do anything
                topic readwrite #
                user admin
                topic read #
                user member
                topic read home/#
                """);
        console = ConsoleBroker.start(dir, "console_users admin member", "acl_file " + acl);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private void publish(String topic, String payload, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-t", topic, "-m", payload, "-q", "1"));
        args.addAll(List.of(more));
        MosquittoClients.Result r = MosquittoClients.pub(console.mqttPort(), args.toArray(String[]::new));
        assertThat(r.exitCode()).as("mosquitto_pub %s: %s", topic, r.stderr()).isZero();
    }

    private Browser loggedIn(String user, String password) {
        Browser b = console.browser();
        assertThat(b.login(user, password).statusCode()).isEqualTo(303);
        return b;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aUserWithoutReadOnSecretSeesItNeitherInTheTreeNorCounted() throws Exception {
        publish("secret/x", "pin 4711", "-r");
        publish("home/door", "open", "-r");
        Browser member = loggedIn("member", MEMBER_PASSWORD);
        Browser admin = loggedIn("admin", PASSWORD);

        String root = member.get("/api/topics").body();
        assertThat(root).contains("\"level\":\"home\"").contains("\"total\":1").doesNotContain("secret");
        String secretLevel = member.get("/api/topics?path=secret").body();
        assertThat(secretLevel)
                .contains("\"total\":0")
                .contains("\"children\":[]")
                .doesNotContain("pin 4711");
        assertThat(member.get("/api/topics?prefix=secret").body())
                .contains("\"total\":0")
                .doesNotContain("secret/x");
        assertThat(member.get("/api/topics?prefix=" + q("home/")).body()).contains("\"topic\":\"home/door\"");

        // Control: a user with READ on secret/# sees it, counted, with its payload.
        assertThat(admin.get("/api/topics").body())
                .contains("\"level\":\"secret\"")
                .contains("\"total\":2");
        assertThat(admin.get("/api/topics?path=secret").body())
                .contains("\"topic\":\"secret/x\"")
                .contains("\"preview\":\"pin 4711\"");
    }

    @Test
    void aRetainedMessagesMqtt5PropertiesAreShownInTheTreeAndTheLiveView() throws Exception {
        publish(
                "home/lamp",
                "on",
                "-r",
                "-V",
                "mqttv5",
                "-D",
                "publish",
                "content-type",
                "text/plain",
                "-D",
                "publish",
                "user-property",
                "room",
                "garage");
        Browser admin = loggedIn("admin", PASSWORD);
        assertThat(admin.get("/api/topics?path=home").body())
                .contains("\"topic\":\"home/lamp\"")
                .contains("[\"content type\",\"text/plain\"]")
                .contains("[\"room\",\"garage\"]");

        admin.post("/api/live", form("filter", "home/#", "csrf", admin.csrfOf("/topics")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/api/live").body().contains("\"state\":\"live\""));
        publish("home/lamp", "off", "-V", "mqttv5", "-D", "publish", "user-property", "by", "switch");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/api/live").body().contains("[\"by\",\"switch\"]"));
    }

    @Test
    void aUserWithoutReadOnSecretNeverSeesItInTheLiveView() throws Exception {
        Browser member = loggedIn("member", MEMBER_PASSWORD);
        Browser admin = loggedIn("admin", PASSWORD);
        for (Browser b : List.of(member, admin)) {
            HttpResponse<String> started = b.post("/api/live", form("filter", "#", "csrf", b.csrfOf("/topics")));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> b.get("/api/live").body().contains("\"state\":\"live\""));
        }

        // One publisher, in this order: had member been sent secret/x, it would come before home/door.
        publish("secret/x", "live secret");
        publish("home/door", "live home");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> member.get("/api/live").body().contains("live home"));
        String seen = member.get("/api/live").body();
        assertThat(seen).contains("\"topic\":\"home/door\"").doesNotContain("secret");
        // Control: the user with READ sees both, from the same publications.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String all = admin.get("/api/live").body();
            return all.contains("live secret") && all.contains("live home");
        });
    }

    @Test
    void theTopicApisNeedASession() {
        Browser stranger = console.browser();
        for (String api : List.of("/api/topics", "/api/topics?path=home", "/api/live")) {
            HttpResponse<String> r = stranger.get(api);
            assertThat(r.statusCode()).as("GET %s", api).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"login required\"}");
        }
        for (String api : List.of("/api/live", "/api/live/stop")) {
            assertThat(stranger.post(api, form("filter", "#")).statusCode())
                    .as("POST %s", api)
                    .isEqualTo(401);
        }
        assertThat(stranger.get("/topics").statusCode()).isEqualTo(303);

        // Control: logged in, the same requests are answered; a change still needs the form token.
        Browser admin = loggedIn("admin", PASSWORD);
        assertThat(admin.get("/topics").body()).contains("<h1>Topics</h1>").contains("/static/topics.js");
        assertThat(admin.get("/api/topics").statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/live").body()).contains("\"state\":\"none\"");
        assertThat(admin.post("/api/live", form("filter", "#")).statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        assertThat(admin.get("/api/live/stop").statusCode())
                .as("a GET changes nothing")
                .isEqualTo(405);
    }

    @Test
    void anInvalidFilterOrTopicGetsItsReason() {
        Browser admin = loggedIn("admin", PASSWORD);
        String token = admin.csrfOf("/topics");
        HttpResponse<String> wildcard = admin.post("/api/live", form("filter", "home/#/x", "csrf", token));
        assertThat(wildcard.statusCode()).isEqualTo(400);
        assertThat(wildcard.body())
                .startsWith("{\"error\":\"not a valid topic filter: ")
                .contains("#");
        HttpResponse<String> shared = admin.post("/api/live", form("filter", "$share/g/home/#", "csrf", token));
        assertThat(shared.statusCode()).isEqualTo(400);
        assertThat(shared.body()).contains("cannot use a shared subscription");
        assertThat(admin.post("/api/live", form("filter", "", "csrf", token)).body())
                .contains("the topic filter is empty");
        HttpResponse<String> path = admin.get("/api/topics?path=" + q("home/+"));
        assertThat(path.statusCode()).isEqualTo(400);
        assertThat(path.body()).contains("not a topic: topic name must not contain '+' or '#'");
        assertThat(admin.get("/api/topics?prefix=" + q("home/#")).statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/live").body()).as("nothing started").contains("\"state\":\"none\"");

        // Control: a valid filter starts a view.
        assertThat(admin.post("/api/live", form("filter", "home/+/temperature", "csrf", token))
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.get("/api/live").body()).contains("\"filter\":\"home/+/temperature\"");
    }

    @Test
    void theLiveViewsSubscriptionEndsAtLogout() throws Exception {
        Browser watcher = loggedIn("admin", PASSWORD);
        Browser observer = loggedIn("admin", PASSWORD);
        long before = subscriptions(observer);

        String token = watcher.csrfOf("/topics");
        assertThat(watcher.post("/api/live", form("filter", "home/#", "csrf", token))
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions(observer) == before + 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> watcher.get("/api/live").body().contains("\"state\":\"live\""));

        assertThat(watcher.post("/logout", form("csrf", token)).statusCode()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions(observer) == before);
        assertThat(observer.get("/api/live").body())
                .as("the other session had no view")
                .contains("\"state\":\"none\"");
    }

    @Test
    void aLiveViewEndsWithTheSessionOfAUserRemovedFromThePasswordFile() throws Exception {
        Browser member = loggedIn("member", MEMBER_PASSWORD);
        Browser admin = loggedIn("admin", PASSWORD);
        long before = subscriptions(admin);
        assertThat(member.post("/api/live", form("filter", "home/#", "csrf", member.csrfOf("/topics")))
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions(admin) == before + 1);

        String adminLine = Files.readAllLines(console.passwd).stream()
                .filter(l -> l.startsWith("admin:"))
                .findFirst()
                .orElseThrow();
        Files.writeString(console.passwd, adminLine + "\n");
        console.broker.reload();

        assertThat(member.get("/api/live").statusCode())
                .as("the page's next poll finds its session ended")
                .isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions(admin) == before);
    }

    @Test
    void withPerListenerSettingsTheFirstMqttListenersRulesJudge() throws Exception {
        Path acl =
                Files.writeString(dir.resolve("listener-acl"), "topic readwrite #\nuser member\ntopic read home/#\n");
        Path passwd = ConsoleBroker.passwordFile(dir.resolve("console-passwd"), Map.of("member", MEMBER_PASSWORD));
        Path conf = Files.write(
                dir.resolve("per-listener.conf"),
                List.of(
                        "per_listener_settings true",
                        "listener 0 127.0.0.1",
                        "allow_anonymous true",
                        "acl_file " + acl,
                        "listener 0 127.0.0.1",
                        "protocol http_api",
                        "password_file " + passwd,
                        "console_users member"));
        try (Drawbridge broker = Drawbridge.start(conf)) {
            int mqtt = broker.port();
            for (String[] m : List.of(new String[] {"secret/x", "pin 4711"}, new String[] {"home/door", "open"})) {
                assertThat(MosquittoClients.pub(mqtt, "-t", m[0], "-m", m[1], "-r", "-q", "1")
                                .exitCode())
                        .isZero();
            }
            Browser member = new Browser(
                    "http://127.0.0.1:" + broker.consoles().get(0).getPort(),
                    HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build());
            assertThat(member.login("member", MEMBER_PASSWORD).statusCode()).isEqualTo(303);
            // The console listener has no acl_file of its own: the MQTT listener's rules decide, not "no rules".
            assertThat(member.get("/api/topics").body())
                    .contains("\"level\":\"home\"")
                    .contains("\"total\":1")
                    .doesNotContain("secret");
        }
    }

    @Test
    void startingAnotherFilterOrStoppingReplacesTheSubscription() throws Exception {
        Browser admin = loggedIn("admin", PASSWORD);
        long before = subscriptions(admin);
        String token = admin.csrfOf("/topics");
        admin.post("/api/live", form("filter", "home/#", "csrf", token));
        admin.post("/api/live", form("filter", "garden/#", "csrf", token));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/api/live").body().contains("\"state\":\"live\""));
        assertThat(subscriptions(admin)).as("one view per session").isEqualTo(before + 1);
        // In this order: had home/# still been watched, home/door would come before garden/rain.
        publish("home/door", "open");
        publish("garden/rain", "3 mm");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/api/live").body().contains("3 mm"));
        assertThat(admin.get("/api/live").body()).as("the replaced filter").doesNotContain("home/door");

        assertThat(admin.post("/api/live/stop", form("csrf", token)).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions(admin) == before);
    }

    private static long subscriptions(Browser b) {
        Matcher m = SUBSCRIPTIONS.matcher(b.get("/api/overview").body());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
