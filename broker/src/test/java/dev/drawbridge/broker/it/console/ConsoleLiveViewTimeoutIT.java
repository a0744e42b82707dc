package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static dev.drawbridge.broker.it.console.ConsoleBroker.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's sweep of unpolled live views, wired: a running broker whose views may go unpolled for 3 s (the
 * test-only {@code -Ddrawbridge.test.live-view-unpolled}; a minute otherwise, which {@code LiveViewsSweepTest} checks
 * with a clock it moves) ends the view of a page that stopped polling, with its engine subscription, and keeps the view
 * of a page that polls.
 */
class ConsoleLiveViewTimeoutIT {

    private static final String UNPOLLED_PROPERTY = "drawbridge.test.live-view-unpolled";
    private static final Pattern SUBSCRIPTIONS = Pattern.compile("\"subscriptions\":(\\d+)");

    @TempDir
    Path dir;

    private @Nullable String propertyBefore;
    private @Nullable ConsoleBroker console;

    @BeforeEach
    void start() {
        propertyBefore = System.getProperty(UNPOLLED_PROPERTY);
        System.setProperty(UNPOLLED_PROPERTY, "PT3S");
        console = ConsoleBroker.start(dir);
    }

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
        if (propertyBefore == null) {
            System.clearProperty(UNPOLLED_PROPERTY);
        } else {
            System.setProperty(UNPOLLED_PROPERTY, propertyBefore);
        }
    }

    @Test
    void aViewNoPagePollsEndsWithItsSubscriptionWhileAPolledOneStays() throws Exception {
        Browser polled = loggedIn();
        Browser unpolled = loggedIn();
        Browser observer = loggedIn();
        long before = subscriptions(observer);

        assertThat(polled.post("/api/live", form("filter", "home/#", "csrf", polled.csrfOf("/topics")))
                        .statusCode())
                .isEqualTo(200);
        assertThat(unpolled.post("/api/live", form("filter", "garden/#", "csrf", unpolled.csrfOf("/topics")))
                        .statusCode())
                .isEqualTo(200);
        // The polled page polls at every check, as the page does every second; the other page never polls.
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> polled.get("/api/live").body().contains("\"state\":\"live\"")
                        && subscriptions(observer) == before + 2);
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> polled.get("/api/live").body().contains("\"state\":\"live\"")
                        && subscriptions(observer) == before + 1);

        assertThat(unpolled.get("/api/live").body())
                .as("the unpolled view is gone")
                .contains("\"state\":\"none\"");
        assertThat(unpolled.get("/api/overview").statusCode())
                .as("its session lives: the view ended for want of polls, not with the session")
                .isEqualTo(200);
        // Control: the polled view still receives what is published.
        MosquittoClients.Result r = MosquittoClients.pub(console().mqttPort(), "-t", "home/door", "-m", "open");
        assertThat(r.exitCode()).as("mosquitto_pub: %s", r.stderr()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> polled.get("/api/live").body().contains("\"topic\":\"home/door\""));
    }

    private Browser loggedIn() {
        Browser b = console().browser();
        assertThat(b.login("admin", PASSWORD).statusCode()).isEqualTo(303);
        return b;
    }

    private ConsoleBroker console() {
        if (console == null) {
            throw new IllegalStateException("started in @BeforeEach");
        }
        return console;
    }

    private static long subscriptions(Browser b) {
        Matcher m = SUBSCRIPTIONS.matcher(b.get("/api/overview").body());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
