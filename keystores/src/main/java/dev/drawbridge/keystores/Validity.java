package dev.drawbridge.keystores;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The period a certificate is valid for. {@link #days} starts a minute in the past so that a device whose clock lags
 * slightly behind still accepts a certificate issued just now.
 */
public record Validity(Instant notBefore, Instant notAfter) {

    private static final Duration BACKDATE = Duration.ofMinutes(1);

    public Validity {
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException(
                    "validity: notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
    }

    /** Valid from now for {@code days} days. */
    public static Validity days(int days, Clock clock) {
        if (days < 1) {
            throw new IllegalArgumentException("validity: expected at least 1 day, found " + days);
        }
        Instant now = clock.instant();
        return new Validity(now.minus(BACKDATE), now.plus(Duration.ofDays(days)));
    }
}
