package dev.drawbridge.acl.spi;

import java.util.Objects;

/**
 * The answer of an authenticator or authorizer: allow, deny, or abstain (no opinion, ask the next plugin). If every
 * plugin abstains, the broker denies, as Mosquitto does.
 *
 * @param verdict the three-way answer
 * @param reason a short reason for the log, never a secret
 */
public record Decision(Verdict verdict, String reason) {

    private static final Decision ABSTAIN = new Decision(Verdict.ABSTAIN, "no opinion");

    /** The three possible answers. */
    public enum Verdict {
        /** Let the client do it. */
        ALLOW,
        /** Refuse; later plugins are not asked. */
        DENY,
        /** No opinion; ask the next plugin. */
        ABSTAIN
    }

    /** Checks that nothing is null. */
    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Allows.
     *
     * @param reason why, for the log
     * @return an allowing decision
     */
    public static Decision allow(String reason) {
        return new Decision(Verdict.ALLOW, reason);
    }

    /**
     * Denies.
     *
     * @param reason why, for the log
     * @return a denying decision
     */
    public static Decision deny(String reason) {
        return new Decision(Verdict.DENY, reason);
    }

    /**
     * Has no opinion.
     *
     * @return an abstaining decision
     */
    public static Decision abstain() {
        return ABSTAIN;
    }

    /**
     * Has no opinion, saying why.
     *
     * @param reason why, for the log
     * @return an abstaining decision
     */
    public static Decision abstain(String reason) {
        return new Decision(Verdict.ABSTAIN, reason);
    }

    /**
     * Whether this decision allows.
     *
     * @return true only for {@link Verdict#ALLOW}
     */
    public boolean isAllowed() {
        return verdict == Verdict.ALLOW;
    }
}
