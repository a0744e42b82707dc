package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.form;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.LogCapture;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over a real socket: nothing answers without a login, no change without the session's CSRF token and
 * never over GET, wrong passwords slowed by the MQTT logins' throttle, the security headers on every answer, and
 * the console and MQTT listeners each speaking only their own protocol.
 */
class ConsoleSecurityIT {

    private static final List<String> PAGES = List.of("/", "/clients", "/log", "/clients?q=garage", "/log?q=WARN");
    private static final List<String> APIS = List.of("/api/overview", "/api/clients", "/api/log?q=x");

    @TempDir
    Path dir;

    private ConsoleBroker console;
    private LogCapture log;

    @BeforeEach
    void start() {
        log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
        console = ConsoleBroker.start(dir);
    }

    @AfterEach
    void stop() {
        console.close();
        log.close();
    }

    @Test
    void everyPageAndApiRefusesWithoutALoggedInSession() {
        Browser stranger = console.browser();
        Browser forged = console.browser();
        forged.cookie("drawbridge=" + "A".repeat(43));
        for (Browser b : List.of(stranger, forged)) {
            for (String page : PAGES) {
                HttpResponse<String> r = b.get(page);
                assertThat(r.statusCode()).as("GET %s without a session", page).isEqualTo(303);
                assertThat(r.headers().firstValue("location")).contains("/login");
            }
            for (String api : APIS) {
                HttpResponse<String> r = b.get(api);
                assertThat(r.statusCode()).as("GET %s without a session", api).isEqualTo(401);
                assertThat(r.body()).doesNotContain("clients\":[");
            }
            for (String change : List.of("/logout", "/clients/disconnect")) {
                assertThat(b.post(change, form("client_id", "x")).statusCode())
                        .as("POST %s without a session", change)
                        .isEqualTo(401);
            }
        }
        Browser pending = console.browser();
        pending.get("/login");
        assertThat(pending.cookie()).as("a session before login").isPresent();
        assertThat(pending.get("/").statusCode())
                .as("a session before login is no login")
                .isEqualTo(303);

        // Positive control: the same requests with a logged-in session.
        Browser admin = console.browser();
        assertThat(admin.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        for (String page : PAGES) {
            HttpResponse<String> r = admin.get(page);
            assertThat(r.statusCode()).as("GET %s logged in", page).isEqualTo(200);
            assertThat(r.body()).contains("<title>Drawbridge");
        }
        for (String api : APIS) {
            assertThat(admin.get(api).statusCode()).as("GET %s logged in", api).isEqualTo(200);
        }
    }

    @Test
    void theSessionCookieIsNewAtLoginHttpOnlyStrictAndEndsAtLogout() {
        Browser admin = console.browser();
        HttpResponse<String> loginPage = admin.get("/login");
        String before = admin.cookie().orElseThrow();
        HttpResponse<String> in = admin.post(
                "/login",
                form("username", "admin", "password", PASSWORD, "csrf", ConsoleBroker.csrf(loginPage.body())));

        String set = in.headers().firstValue("set-cookie").orElseThrow();
        assertThat(set.toLowerCase(java.util.Locale.ROOT))
                .as("attribute names are case-insensitive (RFC 6265)")
                .contains("; httponly")
                .contains("; samesite=strict")
                .contains("; path=/")
                .doesNotContain("secure");
        String after = admin.cookie().orElseThrow();
        assertThat(after).as("a new session id at login (no fixation)").isNotEqualTo(before);
        assertThat(after.substring(after.indexOf('=') + 1))
                .as("256 random bits, base64url")
                .matches("[A-Za-z0-9_-]{43}");

        Browser old = console.browser();
        old.cookie(before);
        assertThat(old.get("/").statusCode()).as("the id from before login").isEqualTo(303);
        assertThat(admin.get("/").statusCode()).isEqualTo(200);

        assertThat(admin.post("/logout", form("csrf", admin.csrfOf("/"))).statusCode())
                .isEqualTo(303);
        Browser replay = console.browser();
        replay.cookie(after);
        assertThat(replay.get("/").statusCode()).as("the session after logout").isEqualTo(303);
        assertThat(replay.get("/api/overview").statusCode()).isEqualTo(401);
    }

    @Test
    void aDisconnectWithoutTheCsrfTokenOrOverGetChangesNothing() throws Exception {
        try (ClientProcess garage =
                MosquittoClients.subscribed(console.mqttPort(), "-i", "garage", "-t", "door/#", "-q", "1")) {
            Browser admin = console.browser();
            admin.login("admin", PASSWORD);
            String token = admin.csrfOf("/clients");
            assertThat(admin.get("/api/clients").body()).contains("\"id\":\"garage\"");

            assertThat(admin.post("/clients/disconnect", form("client_id", "garage"))
                            .statusCode())
                    .as("no token")
                    .isEqualTo(403);
            assertThat(admin.post("/clients/disconnect", form("client_id", "garage", "csrf", token + "x"))
                            .statusCode())
                    .as("a wrong token")
                    .isEqualTo(403);
            Browser other = console.browser();
            other.login("admin", PASSWORD);
            assertThat(other.post("/clients/disconnect", form("client_id", "garage", "csrf", token))
                            .statusCode())
                    .as("another session's token")
                    .isEqualTo(403);
            HttpResponse<String> overGet = admin.get("/clients/disconnect?client_id=garage&csrf=" + token);
            assertThat(overGet.statusCode()).as("a GET").isEqualTo(405);
            assertThat(overGet.headers().firstValue("allow")).contains("POST");

            assertThat(garage.isAlive()).as("mosquitto_sub still runs").isTrue();
            assertThat(admin.get("/api/clients").body()).as("still connected").contains("\"id\":\"garage\"");

            // Positive control: with the token, the client is disconnected.
            assertThat(admin.post("/clients/disconnect", form("client_id", "garage", "csrf", token))
                            .statusCode())
                    .isEqualTo(303);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !admin.get("/api/clients").body().contains("\"id\":\"garage\""));
            assertThat(log.lines())
                    .anySatisfy(l -> assertThat(l).contains("Console user admin disconnected client garage"));
        }
    }

    @Test
    void wrongPasswordsAreAnsweredAfterTheThrottlesDelayAndASuccessClearsIt() {
        Browser guesser = console.browser();
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = guesser.login("admin", "Guess-" + i);
            assertThat(r.statusCode()).as("refusal %d: free", i).isEqualTo(401);
            assertThat(r.headers().firstValue("retry-after")).isEmpty();
        }
        HttpResponse<String> fourth = guesser.login("admin", "Guess-4");
        assertThat(fourth.statusCode())
                .as("the 4th refusal in a row waits for the throttle")
                .isEqualTo(429);
        assertThat(fourth.headers().firstValue("retry-after")).contains("1");
        assertThat(fourth.body()).contains("Too many failed logins");
        HttpResponse<String> member = guesser.login("member", ConsoleBroker.MEMBER_PASSWORD);
        assertThat(member.statusCode())
                .as("the right password of a user who is not a console user is refused, and counted")
                .isEqualTo(429);

        assertThat(guesser.login("admin", PASSWORD).statusCode())
                .as("the right password still works")
                .isEqualTo(303);
        assertThat(console.browser().login("admin", "Guess-after").statusCode())
                .as("after a success the count starts again")
                .isEqualTo(401);

        List<String> lines = log.lines();
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains("Console login as admin from 127.0.0.1")
                        .contains("refused: not authorised (wrong password)"));
        assertThat(lines)
                .anySatisfy(
                        l -> assertThat(l).contains("Console login as member").contains("not a console user"));
        for (String secret : List.of(PASSWORD, ConsoleBroker.MEMBER_PASSWORD, "Guess-1", "Guess-4")) {
            assertThat(lines)
                    .as("log lines with a password")
                    .noneSatisfy(l -> assertThat(l).contains(secret));
        }
    }

    @Test
    void mqttAndConsoleGuessesFromOneAddressCountTogether() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(connack(console.mqttPort(), "admin", "Mqtt-guess-" + i))
                    .as("MQTT refusal %d", i)
                    .isEqualTo(5);
        }
        Browser guesser = console.browser();
        assertThat(guesser.login("admin", "Console-guess").statusCode())
                .as("the console's first refusal after three MQTT ones")
                .isEqualTo(429);
        // Control: a fresh broker's first console refusal is answered at once.
        try (ConsoleBroker fresh = ConsoleBroker.start(java.nio.file.Files.createDirectories(dir.resolve("fresh")))) {
            assertThat(fresh.browser().login("admin", "Console-guess").statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        Browser admin = console.browser();
        List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        answers.add(admin.get("/login"));
        answers.add(admin.get("/api/clients"));
        answers.add(admin.get("/"));
        answers.add(admin.login("admin", PASSWORD));
        answers.add(admin.get("/"));
        answers.add(admin.get("/clients"));
        answers.add(admin.get("/api/overview"));
        answers.add(admin.get("/static/console.js"));
        answers.add(admin.get("/nowhere"));
        for (HttpResponse<String> r : answers) {
            String what = r.request().method() + " " + r.uri().getPath() + " (" + r.statusCode() + ")";
            assertThat(r.headers().firstValue("content-security-policy"))
                    .as(what)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains("default-src 'none'")
                            .contains("script-src 'self'")
                            .contains("frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline"));
            assertThat(r.headers().firstValue("x-content-type-options"))
                    .as(what)
                    .contains("nosniff");
            assertThat(r.headers().firstValue("referrer-policy")).as(what).contains("no-referrer");
            assertThat(r.headers().firstValue("x-frame-options")).as(what).contains("DENY");
            assertThat(r.headers().firstValue("cache-control")).as(what).contains("no-store");
        }
        String page = admin.get("/clients").body();
        assertThat(page).as("no inline script").doesNotContain("<script>").containsPattern("<script src=\"/static/");
        assertThat(page).as("nothing from elsewhere").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void theConsoleAnswersAnMqttConnectWithHttpNotMqtt() throws Exception {
        byte[] answer = untilClosed(console.consolePort(), connect("probe", null, null));
        assertThat(new String(answer, US_ASCII)).startsWith("HTTP/1.1 400");
        assertThat(answer[0]).as("no CONNACK").isNotEqualTo((byte) 0x20);
        // Positive control: the MQTT listener of the same broker answers the same bytes with a CONNACK.
        byte[] mqtt = exchange(console.mqttPort(), connect("probe", null, null));
        assertThat(mqtt).startsWith(0x20, 0x02, 0x00, 0x00);
    }

    @Test
    void anMqttListenerAnswersAnHttpGetWithNoHttp() throws Exception {
        byte[] get = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(US_ASCII);
        byte[] answer = untilClosed(console.mqttPort(), get);
        assertThat(new String(answer, US_ASCII))
                .as("the MQTT listener's answer")
                .doesNotContain("HTTP/");
        // Positive control: the console answers the same bytes (with Connection: close, so it closes after).
        byte[] close = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(US_ASCII);
        assertThat(new String(untilClosed(console.consolePort(), close), US_ASCII))
                .startsWith("HTTP/1.1 303");
    }

    @Test
    void aRequestOverSixteenKilobytesIsRefused() {
        Browser admin = console.browser();
        admin.get("/login");
        HttpResponse<String> big = admin.post("/login", form("username", "admin", "password", "x".repeat(17 * 1024)));
        assertThat(big.statusCode()).isEqualTo(413);
        // Control: the same form, short, is read (and refused for its missing token).
        assertThat(admin.post("/login", form("username", "admin", "password", "x"))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aConsoleInClearAnswersOnlyToALoopbackHostName() throws Exception {
        for (String host : List.of("evil.example", "192.168.1.2", "localhost.evil.example")) {
            byte[] get = ("GET /login HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(US_ASCII);
            String answer = new String(untilClosed(console.consolePort(), get), US_ASCII);
            assertThat(answer)
                    .as("Host: %s (DNS rebinding)", host)
                    .startsWith("HTTP/1.1 421")
                    .doesNotContain("<form");
        }
        for (String host : List.of("127.0.0.1:" + console.consolePort(), "localhost", "[::1]:8080")) {
            byte[] get = ("GET /login HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(US_ASCII);
            assertThat(new String(untilClosed(console.consolePort(), get), US_ASCII))
                    .as("Host: %s", host)
                    .startsWith("HTTP/1.1 200")
                    .contains("<form");
        }
    }

    /** Sends the bytes and reads until the server closes; a timeout fails the test. */
    private static byte[] untilClosed(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    /** Sends an MQTT CONNECT and reads its CONNACK (the connection stays open: four bytes are the whole answer). */
    private static byte[] exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAtMost(socket.getInputStream(), 4, request);
        }
    }

    private static byte[] readAtMost(InputStream in, int max, byte[] request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            int n;
            while (out.size() < max && (n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 15 s to " + request.length + " bytes", e);
        }
        return out.toByteArray();
    }

    private static int connack(int port, String user, String password) throws IOException {
        byte[] answer = exchange(port, connect("guesser", user, password));
        assertThat(answer).as("CONNACK").hasSize(4).startsWith(0x20, 0x02);
        return answer[3];
    }

    /** An MQTT 3.1.1 CONNECT, clean session, keepalive 60, with a username and password when given. */
    private static byte[] connect(String clientId, String user, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT"); // protocol name
        body.write(4); // protocol level: 3.1.1
        body.write(0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0)); // connect flags
        body.write(0);
        body.write(60); // keepalive
        writeString(body, clientId);
        if (user != null) {
            writeString(body, user);
        }
        if (password != null) {
            writeString(body, password);
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10); // CONNECT
        packet.write(b.length); // remaining length (under 128 here)
        packet.writeBytes(b);
        return packet.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.writeBytes(bytes);
    }
}
