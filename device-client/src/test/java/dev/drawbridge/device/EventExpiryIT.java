package dev.drawbridge.device;

import static dev.drawbridge.device.DeviceFixture.AVAILABILITY;
import static dev.drawbridge.device.DeviceFixture.COMMAND;
import static dev.drawbridge.device.DeviceFixture.EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At MQTT 5 each {@code <base>/event} carries {@code mqtt.event-expiry} as its message expiry: a dashboard whose
 * session was queued the event while it was away gets it if it comes back in time, and never after.
 */
class EventExpiryIT {

    private static final int EXPIRY_SECONDS = 3;

    @TempDir
    static Path dir;

    private static TestPki pki;

    private TestBroker broker;
    private MosquittoClients clients;
    private DeviceFixture fixture;
    private final List<MosquittoClients.Subscription> subscriptions = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir);
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBroker.start(pki);
        clients = MosquittoClients.plain(broker.plainPort());
        fixture = new DeviceFixture(pki, broker.tlsPort());
    }

    @AfterEach
    void stopAll() {
        fixture.close();
        subscriptions.forEach(MosquittoClients.Subscription::close);
        broker.close();
    }

    /** A dashboard's MQTT 5 session on the event topic that outlives its connection by ten minutes. */
    private MosquittoClients.Subscription dashboard(String id) throws Exception {
        MosquittoClients.Subscription session = clients.subscribeV5(List.of("-c", "-i", id, "-x", "600"), EVENT);
        subscriptions.add(session);
        await().atMost(Duration.ofSeconds(10)).until(session::subscribed);
        return session;
    }

    @Test
    void anEventExpiresForADashboardThatComesBackTooLate() throws Exception {
        dashboard("dashboard-early").close();
        dashboard("dashboard-late").close();
        MosquittoClients.Subscription live = clients.subscribeV5(List.of(), AVAILABILITY, EVENT);
        subscriptions.add(live);
        await().atMost(Duration.ofSeconds(10)).until(live::subscribed);
        fixture.start("  event-expiry: " + EXPIRY_SECONDS + "s\n", DeviceFixture.BY_CA, DeviceFixture.FAST);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> live.payloads(AVAILABILITY).contains("online"));

        clients.publish(COMMAND, false, "OPEN");
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.payloads(EVENT).isEmpty());
        Instant seen = Instant.now();

        // The broker forwards the expiry (what is left of it) with the event.
        int event = live.messages()
                .indexOf("0|" + EVENT + "|" + live.payloads(EVENT).get(0));
        assertThat(Integer.parseInt(live.expiries().get(event))).isBetween(1, EXPIRY_SECONDS);
        // Back in time: the queued event is delivered.
        MosquittoClients.Subscription early = dashboard("dashboard-early");
        await().atMost(Duration.ofSeconds(10)).until(() -> early.payloads(EVENT).size() == 1);
        assertThat(early.payloads(EVENT)).isEqualTo(live.payloads(EVENT));

        // Back too late: nothing before a marker published after it reconnected.
        Instant expired = seen.plusSeconds(EXPIRY_SECONDS + 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(expired));
        MosquittoClients.Subscription late = dashboard("dashboard-late");
        clients.publish(EVENT, false, "marker");
        await().atMost(Duration.ofSeconds(10)).until(() -> late.payloads(EVENT).contains("marker"));
        assertThat(late.payloads(EVENT)).as("broker log:%n%s", broker.log()).containsExactly("marker");
    }
}
