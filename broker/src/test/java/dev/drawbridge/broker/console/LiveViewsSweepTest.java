package dev.drawbridge.broker.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConfigParser;
import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.EngineSettings;
import dev.drawbridge.broker.engine.session.QueueLimits;
import dev.drawbridge.broker.engine.session.SessionSnapshot;
import dev.drawbridge.broker.engine.store.EngineStores;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.security.ConsoleReader;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's sweep of live views, on a real engine with the real READ check and a clock the test moves: a view no
 * page polled for longer than {@link LiveViews#UNPOLLED} is ended and its engine subscription removed, while a view
 * polled in time keeps its subscription and still receives; a view whose console session ended goes too.
 */
class LiveViewsSweepTest {

    private static final String CONSOLE_PREFIX = "drawbridge-console-";

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T20:00:00Z"));
    private EventExecutor executor;
    private BrokerSecurity security;
    private Engine engine;
    private LiveViews views;
    private ConsoleReader admin;

    @BeforeEach
    void start() throws Exception {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), """
                allow_anonymous true
                listener 0 127.0.0.1
                listener 0 127.0.0.1
                protocol http_api
                console_users admin
                """);
        BrokerConfig config = ConfigParser.parse(conf);
        security = BrokerSecurity.load(config.listeners(), Optional.empty());
        engine = Engine.start(
                new EngineSettings(new QueueLimits(20, 1000, 0), Optional.empty()),
                EngineStores.inMemory(),
                security.deliveries());
        executor = new DefaultEventExecutor();
        views = new LiveViews(engine, executor, clock, LiveViews.UNPOLLED);
        admin = security.consoleReader(config.consoles().get(0), "admin");
    }

    @AfterEach
    void stop() {
        views.close();
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        engine.close();
        security.close();
    }

    @Test
    void aViewUnpolledForLongerThanAMinuteIsEndedAndItsSubscriptionRemovedAPolledOneStays() {
        views.start("polled", admin, "home/#");
        views.start("unpolled", admin, "garden/#");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> watchedFilters().values().stream()
                                .flatMap(List::stream)
                                .sorted()
                                .toList(),
                        l -> l.equals(List.of("garden/#", "home/#")));

        clock.advance(Duration.ofSeconds(30));
        assertThat(views.poll("polled", 0)).isPresent();
        clock.advance(Duration.ofSeconds(30));
        views.sweep(session -> true);
        assertThat(views.size())
                .as("unpolled for exactly a minute: not yet longer")
                .isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        views.sweep(session -> true);

        assertThat(views.poll("unpolled", 0)).as("ended").isEmpty();
        assertThat(views.size()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> List.copyOf(watchedFilters().values()), l -> l.equals(List.of(List.of("home/#"))));

        // Control: the view polled 31 s ago is still subscribed and still receives.
        engine.publishRetained("garden/rain", "3 mm");
        engine.publishRetained("home/door", "open");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> views.poll("polled", 0).orElseThrow().messages().stream()
                        .map(s -> s.message().topic())
                        .toList()
                        .contains("home/door"));
        assertThat(views.poll("polled", 0).orElseThrow().state()).isEqualTo("live");
    }

    @Test
    void aViewWhoseSessionEndedIsEndedThoughPolled() {
        views.start("logged-out", admin, "home/#");
        views.start("logged-in", admin, "garden/#");
        await().atMost(Duration.ofSeconds(10)).until(() -> watchedFilters().size() == 2);
        assertThat(views.poll("logged-out", 0)).isPresent();

        views.sweep(session -> !session.equals("logged-out"));

        assertThat(views.poll("logged-out", 0)).isEmpty();
        assertThat(views.poll("logged-in", 0)).as("control: its session lives").isPresent();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> List.copyOf(watchedFilters().values()), l -> l.equals(List.of(List.of("garden/#"))));
    }

    /** The engine's sessions of live views, each with the filters it is subscribed to now. */
    private Map<String, List<String>> watchedFilters() {
        Map<String, List<String>> filters = new TreeMap<>();
        for (SessionSnapshot s : engine.sessions()) {
            if (s.clientId().startsWith(CONSOLE_PREFIX)) {
                filters.put(s.clientId(), engine.subscribedFilters(s.clientId()));
            }
        }
        return filters;
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
