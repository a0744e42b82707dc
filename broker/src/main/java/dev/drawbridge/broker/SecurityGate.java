package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.SecurityConfig;
import dev.drawbridge.broker.net.ConnectGate;

/** The connect rules of one listener's security settings. */
final class SecurityGate implements ConnectGate {

    private final SecurityConfig security;

    SecurityGate(SecurityConfig security) {
        this.security = security;
    }

    @Override
    public Verdict check(Attempt attempt) {
        if (attempt.username().isEmpty()) {
            return security.allowAnonymous()
                    ? Verdict.accept(attempt.username(), "anonymous access allowed")
                    : Verdict.refuse("anonymous access is off on this listener (allow_anonymous false)");
        }
        if (security.allowAnonymous()) {
            // Without a password file Mosquitto takes any username when anonymous access is on.
            return Verdict.accept(attempt.username(), "no password file, anonymous access allowed");
        }
        return Verdict.refuse("no password_file or plugin to check the username against");
    }
}
