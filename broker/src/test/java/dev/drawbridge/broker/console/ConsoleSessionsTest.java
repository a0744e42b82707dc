package dev.drawbridge.broker.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.console.ConsoleSessions.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sessions: random ids and tokens, a new id at login, idle expiry, logout, and a bound on how many are kept. */
class ConsoleSessionsTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Hands clock = new Hands();
    private final ConsoleSessions sessions = new ConsoleSessions(clock);

    @Test
    void loginGivesANewIdAndTokenAndEndsTheSessionBeforeIt() {
        Session before = sessions.anonymous();
        Session in = sessions.login(before, "admin", "entry");

        assertThat(in.id()).isNotEqualTo(before.id()).matches("[A-Za-z0-9_-]{43}");
        assertThat(in.csrf()).isNotEqualTo(before.csrf()).matches("[A-Za-z0-9_-]{43}");
        assertThat(in.loggedIn()).isTrue();
        assertThat(sessions.find(before.id())).isEmpty();
        assertThat(sessions.find(in.id())).map(Session::user).contains("admin");
    }

    @Test
    void aSessionEndsAfterItsIdleTimeAndEachRequestRestartsIt() {
        Session in = sessions.login(sessions.anonymous(), "admin", "entry");

        clock.now = clock.now.plus(ConsoleSessions.IDLE.minusSeconds(1));
        assertThat(sessions.find(in.id())).as("just inside the idle time").isPresent();
        clock.now = clock.now.plus(ConsoleSessions.IDLE.minusSeconds(1));
        assertThat(sessions.find(in.id())).as("the request before restarted it").isPresent();
        clock.now = clock.now.plus(ConsoleSessions.IDLE);
        assertThat(sessions.find(in.id())).as("idle too long").isEmpty();
    }

    @Test
    void logoutEndsTheSession() {
        Session in = sessions.login(sessions.anonymous(), "admin", "entry");
        Session other = sessions.login(sessions.anonymous(), "admin", "entry");

        sessions.logout(in);

        assertThat(sessions.find(in.id())).isEmpty();
        assertThat(sessions.find(other.id())).as("another browser's session").isPresent();
    }

    @Test
    void theTokenMatchesOnlyItself() {
        Session s = sessions.anonymous();

        assertThat(s.csrfMatches(s.csrf())).isTrue();
        assertThat(s.csrfMatches(null)).isFalse();
        assertThat(s.csrfMatches("")).isFalse();
        assertThat(s.csrfMatches(s.csrf().substring(1))).isFalse();
        assertThat(s.csrfMatches(sessions.anonymous().csrf())).isFalse();
    }

    @Test
    void noMoreThanTheLimitAreKeptTheLeastRecentlyUsedGoesFirst() {
        Session oldest = sessions.login(sessions.anonymous(), "admin", "entry");
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < ConsoleSessions.MAX_SESSIONS + 10; i++) {
            ids.add(sessions.anonymous().id());
            clock.now = clock.now.plusMillis(1);
        }

        assertThat(ids).as("every id is new").hasSize(ConsoleSessions.MAX_SESSIONS + 10);
        assertThat(sessions.size()).isEqualTo(ConsoleSessions.MAX_SESSIONS);
        assertThat(sessions.find(oldest.id())).as("the least recently used").isEmpty();
    }
}
