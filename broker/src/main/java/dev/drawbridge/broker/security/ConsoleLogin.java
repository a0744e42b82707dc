package dev.drawbridge.broker.security;

import dev.drawbridge.acl.passwordfile.PasswordFile;
import dev.drawbridge.acl.passwordfile.PasswordFileAuthenticator;
import dev.drawbridge.acl.passwordfile.PasswordFileException;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import dev.drawbridge.broker.conf.ConsoleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may log in to a console: its {@code console_users}, by their password in the listener's password file, checked
 * as an MQTT login's is (the same hash verification, constant-time) and slowed by the same throttle, so that guesses
 * against the console and against MQTT count together.
 */
public final class ConsoleLogin {

    /**
     * The answer to one login.
     *
     * @param reason why, for the log; never the password
     * @param delay how long to wait before answering a refusal (the throttle's; zero for the first few)
     */
    public record Outcome(boolean accepted, String reason, Duration delay) {}

    private final Set<String> users;
    private final PasswordFileAuthenticator passwords;
    private final String listener;
    private final LoginThrottle throttle;

    private ConsoleLogin(Set<String> users, PasswordFile file, String listener, LoginThrottle throttle) {
        this.users = users;
        this.passwords = new PasswordFileAuthenticator(file);
        this.listener = listener;
        this.throttle = throttle;
    }

    /**
     * Reads the console listener's password file and checks that it holds every console user.
     *
     * @throws RulesException {@code FILE:LINE: reason} at the {@code console_users} line when there is no password
     *     file, it cannot be read, or a console user is not in it
     */
    static ConsoleLogin load(ConsoleConfig console, LoginThrottle throttle) throws RulesException {
        String at = console.usersWhere() + ": console_users: ";
        Optional<Path> path = console.listener().security().passwordFile();
        if (path.isEmpty()) {
            throw new RulesException(List.of(at + "the console checks passwords in a password_file, and "
                    + console.listener().describe() + " has none"));
        }
        PasswordFile file;
        try {
            file = PasswordFile.load(path.get());
        } catch (PasswordFileException e) {
            throw new RulesException(List.of(at + e.getMessage()));
        }
        for (String user : console.users()) {
            if (file.hashOf(user).isEmpty()) {
                throw new RulesException(List.of(at + "user '" + user + "' is not in the password file " + path.get()));
            }
        }
        return new ConsoleLogin(
                Set.copyOf(console.users()),
                file,
                Integer.toString(console.listener().port()),
                throttle);
    }

    /** Checks one login; a user of the password file who is not a console user is refused after the same work. */
    public Outcome check(String username, byte[] password, String remoteHost) {
        ClientIdentity identity =
                new ClientIdentity("console", Optional.of(username), Optional.empty(), listener, remoteHost, 4);
        Decision decision = passwords.authenticate(new ConnectRequest(identity, Optional.of(password)));
        if (decision.isAllowed() && users.contains(username)) {
            throttle.succeeded(remoteHost);
            return new Outcome(true, decision.reason(), Duration.ZERO);
        }
        String reason = decision.isAllowed() ? "not a console user" : decision.reason();
        return new Outcome(false, reason, throttle.failed(remoteHost));
    }
}
