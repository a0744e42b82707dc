package dev.drawbridge.broker.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The console's sessions, kept on the server only: the browser holds a random 256-bit id in a cookie. A session before
 * login carries just the CSRF token of the login form; logging in replaces it with a new id (no session fixation).
 * Sessions end after {@link #IDLE} without a request, or on logout.
 */
final class ConsoleSessions {

    static final Duration IDLE = Duration.ofMinutes(30);
    /** Sessions kept at most (logged in or not); past it the least recently used goes first. */
    static final int MAX_SESSIONS = 1_000;

    private static final Base64.Encoder TOKENS = Base64.getUrlEncoder().withoutPadding();

    /**
     * One browser's session.
     *
     * @param user the console user logged in; null before login
     * @param entry the user's password file entry at login: when it changes (or goes), so does the session
     * @param csrf the token every form of this session carries back
     */
    record Session(String id, @Nullable String user, String entry, String csrf, Instant lastSeen) {

        boolean loggedIn() {
            return user != null;
        }

        /** Constant-time: a wrong token must not tell how much of it was right. */
        boolean csrfMatches(@Nullable String token) {
            return token != null
                    && MessageDigest.isEqual(
                            csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** The live session with this id, its idle time restarted; empty for an unknown or expired id. */
    Optional<Session> find(@Nullable String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session found = byId.computeIfPresent(id, (k, s) -> expired(s, now) ? null : touched(s, now));
        return Optional.ofNullable(found);
    }

    /** Whether a session with this id is live now; unlike {@link #find}, its idle time goes on. */
    boolean isLive(String id) {
        Session s = byId.get(id);
        return s != null && !expired(s, clock.instant());
    }

    /** A session before login, for the login form's CSRF token. */
    Session anonymous() {
        return add(null, "");
    }

    /** Logs in: the session before login ends and a new one, with a new id and token, begins. */
    Session login(Session before, String user, String entry) {
        byId.remove(before.id());
        return add(user, entry);
    }

    void logout(Session session) {
        byId.remove(session.id());
    }

    int size() {
        return byId.size();
    }

    private Session add(@Nullable String user, String entry) {
        Instant now = clock.instant();
        if (byId.size() >= MAX_SESSIONS) {
            byId.values().removeIf(s -> expired(s, now));
            while (byId.size() >= MAX_SESSIONS) {
                byId.values().stream()
                        .min(Comparator.comparing(Session::lastSeen))
                        .ifPresent(oldest -> byId.remove(oldest.id()));
            }
        }
        Session session = new Session(token(), user, entry, token(), now);
        byId.put(session.id(), session);
        return session;
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKENS.encodeToString(bytes);
    }

    private static boolean expired(Session s, Instant now) {
        return !s.lastSeen().plus(IDLE).isAfter(now);
    }

    private static Session touched(Session s, Instant now) {
        return new Session(s.id(), s.user(), s.entry(), s.csrf(), now);
    }
}
