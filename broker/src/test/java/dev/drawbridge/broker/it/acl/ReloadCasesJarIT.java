package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.acl.Oracle.Row;
import dev.drawbridge.broker.testing.BrokerJar;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code reload-cases.tsv}, against {@code java -jar drawbridge.jar -c mosquitto.conf} and
 * {@code kill -HUP}: one run per scenario of the file, each step's answer compared with Mosquitto 2.0.11's, or with
 * the deliberate difference {@code reload-differences.tsv} records for that row (a reload with any problem keeps the
 * previous configuration whole). A scenario without a run here, or a row its run does not answer, fails.
 */
class ReloadCasesJarIT {

    private static final List<Row> ROWS = Oracle.rows("reload-cases.tsv");
    private static final List<Row> DIFFERENCES = Oracle.rows("reload-differences.tsv");
    private static final Map<String, String> USERS = Oracle.aclUsers();
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration DROP = Duration.ofSeconds(5);
    private static final String ADMIN = "user admin\ntopic readwrite #\n";
    /** Anonymous clients may use public/#; alice home/#; bob may read home/#. */
    private static final String ACL = "topic readwrite public/#\n\n" + ADMIN
            + "\nuser bob\ntopic read home/#\n\nuser alice\ntopic readwrite home/#\n";

    @TempDir
    Path dir;

    private int port;
    private @Nullable ClientProcess broker;
    private final List<RawMqttClient> clients = new ArrayList<>();
    private final Map<String, String> observed = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        clients.forEach(RawMqttClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    static Stream<String> scenarios() {
        return ROWS.stream().map(r -> r.get("scenario")).distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenarioAnswersEveryRowAsRecorded(String scenario) throws Exception {
        run(scenario);
        List<Row> rows =
                ROWS.stream().filter(r -> r.get("scenario").equals(scenario)).toList();
        for (Row row : rows) {
            String step = row.get("step");
            assertThat(observed)
                    .as("%s: the run answers the step '%s'", scenario, step)
                    .containsKey(step);
            assertThat(observed.get(step)).as("%s: %s", scenario, step).isEqualTo(expected(row));
        }
        assertThat(observed.keySet())
                .as("%s: every step observed is a row of the file", scenario)
                .allMatch(step -> rows.stream().anyMatch(r -> r.get("step").equals(step)));
    }

    @Test
    void everyDifferenceNamesARowOfTheOracle() {
        assertThat(DIFFERENCES).isNotEmpty();
        for (Row difference : DIFFERENCES) {
            assertThat(ROWS)
                    .as("reload-differences.tsv: %s / %s", difference.get("scenario"), difference.get("step"))
                    .anyMatch(r -> r.get("scenario").equals(difference.get("scenario"))
                            && r.get("step").equals(difference.get("step")));
        }
    }

    private static String expected(Row row) {
        return DIFFERENCES.stream()
                .filter(d -> d.get("scenario").equals(row.get("scenario"))
                        && d.get("step").equals(row.get("step")))
                .map(d -> d.get("drawbridge"))
                .findFirst()
                .orElse(row.get("observed"));
    }

    private void run(String scenario) throws Exception {
        String id = scenario.substring(0, scenario.indexOf(' '));
        switch (id) {
            case "S01" -> s01();
            case "S02" -> s02();
            case "S03" -> s03();
            case "S04" -> s04();
            case "S05" -> s05();
            case "S06" -> s06();
            case "S07" -> s07();
            case "S08" -> s08();
            case "S09" -> s09();
            case "S10" -> s10();
            case "S11" -> s11();
            case "S12" -> s12();
            case "S13" -> s13(scenario.contains("check_retain_source true"));
            default -> throw new AssertionError("no run for scenario " + scenario + " of reload-cases.tsv");
        }
    }

    // --- the scenarios, in the file's order ----------------------------------------------------------------------

    private void s01() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient pub = login("pub", "admin");
        RawMqttClient obs = login("obs", "admin");
        alice.subscribe("home/#", 1);
        obs.subscribe("home/#", 1);
        pub.publish("home/x", "before", 1, false);
        alice.barrier();
        see("before: alice (subscribed home/#) receives home/x", alice.received("home/x", "before"));

        acl(ADMIN + "user alice\ntopic readwrite home/y\n");
        sighup();

        pub.publish("home/x", "after", 1, false);
        pub.publish("home/y", "after", 1, false);
        alice.barrier();
        see("after SIGHUP: existing subscription receives home/x", alice.received("home/x", "after"));
        see("after SIGHUP: existing subscription receives home/y", alice.received("home/y", "after"));
        alice.publish("home/x", "from alice", 1, false);
        obs.barrier();
        assertThat(obs.received("home/x", "after"))
                .as("positive control: obs receives admin's home/x")
                .isTrue();
        see("after SIGHUP: alice can publish home/x", obs.received("home/x", "from alice"));
        observed.put("alice's connection after SIGHUP", connectionState(alice));
        brokerAlive();
    }

    private void s02() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient pub = login("pub", "admin");
        alice.subscribe("#", 1);
        pub.publish("garage/cmd", "before", 1, false);
        alice.barrier();
        see("before: alice (subscribed #) receives garage/cmd", alice.received("garage/cmd", "before"));

        acl(ADMIN + "user alice\ntopic readwrite home/#\ntopic read garage/cmd\n");
        sighup();

        pub.publish("garage/cmd", "after", 1, false);
        alice.barrier();
        see("after SIGHUP: same subscription receives garage/cmd", alice.received("garage/cmd", "after"));
        brokerAlive();
    }

    private void s03() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient admin = login("obs", "admin");

        Files.writeString(dir.resolve("passwd"), passwdWithoutAlice(), UTF_8);
        sighup();

        observed.put("after SIGHUP: alice's live connection", connectionState(alice));
        observed.put("after SIGHUP: admin's live connections", connectionState(admin));
        observed.put("new login alice", connack("alice", USERS.get("alice")));
        brokerAlive();
    }

    private void s04() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        // passwd-vectors.tsv's line for alice, whose password is "secret".
        String newLine = Oracle.rows("passwd-vectors.tsv").stream()
                .filter(r -> r.get("username").equals("alice"))
                .findFirst()
                .orElseThrow()
                .get("hashline");

        Files.writeString(dir.resolve("passwd"), passwdWithoutAlice() + newLine + "\n", UTF_8);
        sighup();

        observed.put("after SIGHUP: alice's live connection (made with the old password)", connectionState(alice));
        observed.put("new login with old password", connack("alice", USERS.get("alice")));
        observed.put("new login with new password", connack("alice", "secret"));
        brokerAlive();
    }

    private void s05() throws Exception {
        start(true);
        RawMqttClient anonymous = anonymous("anon-1");
        RawMqttClient admin = login("obs", "admin");
        anonymous.subscribe("public/#", 1);
        admin.publish("public/x", "before", 1, false);
        anonymous.barrier();
        see("before: anonymous receives public/x", anonymous.received("public/x", "before"));

        conf("allow_anonymous false");
        sighup();

        observed.put("after SIGHUP: anonymous live connection", connectionState(anonymous));
        observed.put("after SIGHUP: admin's live connection", connectionState(admin));
        observed.put("new anonymous login", anonymousConnack());
        brokerAlive();
    }

    private void s06() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient admin = login("obs", "admin");

        Files.delete(dir.resolve("passwd"));
        sighup();
        keptPreviousConfiguration("mosquitto.conf:3: password_file: cannot read 'passwd'");

        observed.put("after SIGHUP: alice's live connection", connectionState(alice));
        observed.put("after SIGHUP: admin's live connection", connectionState(admin));
        loginsAfterTheFileWentAway();
        brokerAlive();
    }

    private void s07() throws Exception {
        start(true);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient admin = login("obs", "admin");

        Files.delete(dir.resolve("passwd"));
        sighup();
        keptPreviousConfiguration("mosquitto.conf:3: password_file: cannot read 'passwd'");

        observed.put("after SIGHUP: alice's live connection", connectionState(alice));
        observed.put("after SIGHUP: admin's live connection", connectionState(admin));
        loginsAfterTheFileWentAway();
        RawMqttClient outsideSub = anonymous("anon-sub");
        RawMqttClient outsidePub = anonymous("anon-x");
        outsideSub.subscribe("garage/#", 1);
        outsideSub.subscribe("public/#", 1);
        outsidePub.publish("garage/cmd", "outside", 1, false);
        // Positive control: what the ACL gives anonymous clients still arrives.
        outsidePub.publish("public/x", "control", 1, false);
        outsideSub.barrier();
        assertThat(outsideSub.received("public/x", "control"))
                .as("positive control: anonymous public/x")
                .isTrue();
        see(
                "after SIGHUP: a client outside the ACL publishes garage/cmd, a client outside the ACL receives it",
                outsideSub.received("garage/cmd", "outside"));
        brokerAlive();
    }

    private void s08() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient obs = login("obs", "admin");
        obs.subscribe("#", 1);
        alice.publish("garage/cmd", "before", 1, false);
        alice.publish("home/x", "control", 1, false);
        obs.barrier();
        assertThat(obs.received("home/x", "control")).as("positive control").isTrue();
        see("before: alice publishes garage/cmd", obs.received("garage/cmd", "before"));

        Files.delete(dir.resolve("acl"));
        sighup();
        keptPreviousConfiguration("mosquitto.conf:4: acl_file: cannot read 'acl'");

        alice.publish("garage/cmd", "after", 1, false);
        alice.publish("home/x", "control-after", 1, false);
        obs.barrier();
        assertThat(obs.received("home/x", "control-after"))
                .as("positive control")
                .isTrue();
        see("after SIGHUP: alice publishes garage/cmd", obs.received("garage/cmd", "after"));
        observed.put("new login alice WRONG password", connack("alice", "wrong-password"));
        brokerAlive();
    }

    private void s09() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient obs = login("obs", "admin");
        obs.subscribe("#", 1);

        acl(ADMIN + "user alice\ntopic read home/#\ntopik readwrite garage/#\ntopic readwrite more/#\n");
        sighup();
        keptPreviousConfiguration("acl:5: invalid line 'topik readwrite garage/#'");

        alice.publish("home/x", "after", 1, false);
        alice.publish("garage/cmd", "after", 1, false);
        alice.publish("more/x", "after", 1, false);
        obs.barrier();
        see(
                "after SIGHUP: alice publishes home/x (was readwrite, now read before the bad line)",
                obs.received("home/x", "after"));
        see("after SIGHUP: alice publishes garage/cmd (never allowed)", obs.received("garage/cmd", "after"));
        see("after SIGHUP: alice publishes more/x (after the bad line)", obs.received("more/x", "after"));
        brokerAlive();
    }

    private void s10() throws Exception {
        start(true);
        // allow_anonymous false comes before the bad line, which is line 5.
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file passwd\nacl_file acl\n"
                        + "bogus_option 1\n",
                UTF_8);
        sighup();
        assertThat(
                        running()
                                .hasLine(
                                        line -> line.contains(
                                                "Reload kept the previous configuration: mosquitto.conf:5: unknown option 'bogus_option'")))
                .as("the bad line logged as FILE:LINE: reason")
                .isTrue();

        observed.put(
                "after SIGHUP (allow_anonymous false placed BEFORE the bad line): new anonymous login",
                anonymousConnack());
        observed.put("alice still logs in", connack("alice", USERS.get("alice")));
        brokerAlive();
    }

    private void s11() throws Exception {
        start(false);
        RawMqttClient alice = login("alice-1", "alice");
        RawMqttClient obs = login("obs", "admin");
        obs.subscribe("#", 1);
        Files.writeString(dir.resolve("acl2"), ADMIN + "user alice\ntopic readwrite garage/#\n", UTF_8);

        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file passwd\nacl_file acl2\n",
                UTF_8);
        sighup();

        alice.publish("garage/x", "after", 1, false);
        alice.publish("home/x", "after", 1, false);
        obs.barrier();
        see("after SIGHUP: alice publishes garage/x (only in new file)", obs.received("garage/x", "after"));
        see("after SIGHUP: alice publishes home/x (only in old file)", obs.received("home/x", "after"));
        brokerAlive();
    }

    private void s12() throws Exception {
        start(false);
        int newPort = Ports.free();
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + newPort + " 127.0.0.1\nallow_anonymous false\npassword_file passwd\nacl_file acl\n",
                UTF_8);
        sighup();
        assertThat(running()
                        .hasLine(line -> line.contains("mosquitto.conf:1: listener 127.0.0.1:" + port + ": port "
                                + newPort + " (was " + port + ") needs a restart")))
                .as("the port change logged as needing a restart, with its FILE:LINE")
                .isTrue();

        observed.put("after SIGHUP: new port open", isOpen(newPort) ? "yes" : "no");
        observed.put("old port still serves logins", connack("admin", USERS.get("admin")));
        brokerAlive();
    }

    private void s13(boolean checkRetainSource) throws Exception {
        port = Ports.free();
        writeFiles(false, checkRetainSource ? new String[] {"check_retain_source true"} : new String[0]);
        broker = BrokerJar.start(dir, "-c", "mosquitto.conf");
        RawMqttClient alice = login("alice-1", "alice");
        alice.publish("home/r", "retained", 1, true);
        // The positive control: admin keeps the right to write, so its retained message reaches bob in both runs.
        login("pub", "admin").publish("home/control", "retained", 1, true);

        acl(ADMIN + "user alice\ntopic read home/#\n\nuser bob\ntopic read home/#\n");
        sighup();

        RawMqttClient bob = login("bob-1", "bob");
        bob.subscribe("home/#", 1);
        bob.barrier();
        assertThat(bob.received("home/control", "retained"))
                .as("positive control: bob gets admin's retained message")
                .isTrue();
        see("bob subscribes after reload: gets alice's retained message", bob.received("home/r", "retained"));
    }

    // --- the broker --------------------------------------------------------------------------------------------

    private void start(boolean allowAnonymous) throws IOException {
        port = Ports.free();
        writeFiles(allowAnonymous);
        broker = BrokerJar.start(dir, "-c", "mosquitto.conf");
    }

    private void writeFiles(boolean allowAnonymous, String... extra) throws IOException {
        Files.write(dir.resolve("passwd"), Oracle.bytes("acl-passwd"));
        acl(ACL);
        conf("allow_anonymous " + allowAnonymous, extra);
    }

    /** The base configuration: one listener, the password and ACL files, and the given lines. */
    private void conf(String anonymous, String... extra) throws IOException {
        StringBuilder text = new StringBuilder(
                "listener " + port + " 127.0.0.1\n" + anonymous + "\npassword_file passwd\nacl_file acl\n");
        for (String line : extra) {
            text.append(line).append('\n');
        }
        Files.writeString(dir.resolve("mosquitto.conf"), text, UTF_8);
    }

    private void acl(String text) throws IOException {
        Files.writeString(dir.resolve("acl"), text, UTF_8);
    }

    private ClientProcess running() {
        ClientProcess running = broker;
        assertThat(running).as("a started broker").isNotNull();
        return running;
    }

    /** {@code kill -HUP}, then the line that says the reload is over. */
    private void sighup() throws Exception {
        ClientProcess running = running();
        Predicate<String> finished = line -> line.contains("Reload finished.");
        long before = running.output().stream().filter(finished).count();
        BrokerJar.signal(running, "HUP");
        org.awaitility.Awaitility.await("the reload to finish")
                .atMost(WAIT)
                .until(() -> running.output().stream().filter(finished).count() > before);
    }

    /** The reload kept the previous configuration, naming the file that failed. */
    private void keptPreviousConfiguration(String problem) {
        assertThat(running().hasLine(line -> line.contains("Reload kept the previous") && line.contains(problem)))
                .as("a reload error naming %s in %s", problem, running().output())
                .isTrue();
    }

    private void brokerAlive() {
        observed.put("broker alive", connack("admin", USERS.get("admin")).equals("CONNACK 0") ? "True" : "False");
    }

    // --- clients -----------------------------------------------------------------------------------------------

    private RawMqttClient login(String clientId, String user) {
        RawMqttClient client =
                RawMqttClient.connected(port, 4, clientId, Optional.of(user), Optional.of(USERS.get(user)));
        clients.add(client);
        return client;
    }

    private RawMqttClient anonymous(String clientId) {
        RawMqttClient client = RawMqttClient.connected(port, 4, clientId, Optional.empty(), Optional.empty());
        clients.add(client);
        return client;
    }

    private String connack(String user, String password) {
        try (RawMqttClient client = RawMqttClient.open(port)) {
            return "CONNACK "
                    + client.connect(
                            4,
                            "login-" + observed.size(),
                            Optional.of(user),
                            Optional.of(password.getBytes(UTF_8)),
                            null);
        }
    }

    private String anonymousConnack() {
        try (RawMqttClient client = RawMqttClient.open(port)) {
            return "CONNACK " + client.connect(4, "anon-" + observed.size(), Optional.empty(), Optional.empty(), null);
        }
    }

    /** The four logins S06 and S07 try once the password file is gone. */
    private void loginsAfterTheFileWentAway() {
        observed.put("new login alice with correct password", connack("alice", USERS.get("alice")));
        observed.put("new login alice with WRONG password", connack("alice", "wrong-password"));
        observed.put("new login unknown user", connack("nobody", "nobody-pw"));
        observed.put("new anonymous login", anonymousConnack());
    }

    /**
     * Two PINGREQ round trips after the reload finished. The reload asks for the close of a dropped connection before
     * it logs that it finished; Netty may still answer a PINGREQ read in the same event-loop turn, but runs the queued
     * close right after that turn, so a second PINGRESP means the connection was kept.
     */
    private static String connectionState(RawMqttClient client) {
        byte[] answer = null;
        try {
            for (int i = 0; i < 2; i++) {
                client.write(Packets.PINGREQ);
                answer = client.next(DROP);
                if (answer == null || RawMqttClient.type(answer) != RawMqttClient.PINGRESP) {
                    break;
                }
            }
        } catch (UncheckedIOException e) {
            answer = null; // the broker has already closed it
        }
        if (answer != null && RawMqttClient.type(answer) == RawMqttClient.PINGRESP) {
            return "still connected";
        }
        return client.awaitClosed(DROP) ? "dropped by broker" : "unexpected " + RawMqttClient.describe(answer);
    }

    private static boolean isOpen(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void see(String step, boolean yes) {
        observed.put(step, yes ? "yes" : "no");
    }

    private String passwdWithoutAlice() {
        StringBuilder kept = new StringBuilder();
        for (String line : Oracle.text("acl-passwd").split("\n")) {
            if (!line.startsWith("alice:")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
