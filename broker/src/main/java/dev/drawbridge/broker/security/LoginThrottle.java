package dev.drawbridge.broker.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after a few failed logins from one address, each further refusal from it is answered
 * later, doubling up to a cap. A success from the address clears it; entries expire after a quiet period.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant last) {}

    private final Clock clock;
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Records a refused login from {@code host} and returns how long to wait before answering it. */
    Duration failed(String host) {
        Instant now = clock.instant();
        if (byAddress.size() >= MAX_TRACKED) {
            byAddress
                    .entrySet()
                    .removeIf(e -> e.getValue().last().plus(FORGET_AFTER).isBefore(now));
        }
        Failures f = byAddress.merge(
                host,
                new Failures(1, now),
                (old, one) -> old.last().plus(FORGET_AFTER).isBefore(now) ? one : new Failures(old.count() + 1, now));
        int over = f.count() - FREE_FAILURES;
        if (over <= 0) {
            return Duration.ZERO;
        }
        long millis = FIRST_DELAY.toMillis() << Math.min(over - 1, 16);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    void succeeded(String host) {
        byAddress.remove(host);
    }
}
