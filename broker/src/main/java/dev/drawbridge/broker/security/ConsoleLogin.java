package dev.drawbridge.broker.security;

import dev.drawbridge.acl.passwordfile.PasswordFile;
import dev.drawbridge.acl.passwordfile.PasswordFileAuthenticator;
import dev.drawbridge.acl.passwordfile.PasswordFileException;
import dev.drawbridge.acl.passwordfile.PasswordHash;
import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import dev.drawbridge.broker.conf.ConsoleConfig;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLogin.class);

    /** The password file as last read, and its checker; replaced whole by a reload. */
    private record Passwords(PasswordFile file, PasswordFileAuthenticator check) {}

    private final ConsoleConfig console;
    private final Set<String> users;
    private final String listener;
    private final LoginThrottle throttle;
    private volatile Passwords passwords;

    private ConsoleLogin(ConsoleConfig console, PasswordFile file, LoginThrottle throttle) {
        this.console = console;
        this.users = Set.copyOf(console.users());
        this.passwords = new Passwords(file, new PasswordFileAuthenticator(file));
        this.listener = Integer.toString(console.listener().port());
        this.throttle = throttle;
    }

    /**
     * Reads the console listener's password file and checks that it holds every console user.
     *
     * @throws RulesException {@code FILE:LINE: reason} at the {@code console_users} line when there is no password
     *     file, it cannot be read, or a console user is not in it
     */
    static ConsoleLogin load(ConsoleConfig console, LoginThrottle throttle) throws RulesException {
        return new ConsoleLogin(console, read(console, true), throttle);
    }

    /** Reads the password file again; on a problem keeps the file as last read and logs why. */
    public boolean reload() {
        try {
            // A console user may have been removed: that user can no longer log in.
            PasswordFile file = read(console, false);
            passwords = new Passwords(file, new PasswordFileAuthenticator(file));
            return true;
        } catch (RulesException e) {
            e.problems().forEach(p -> LOG.error("Reload kept the console's previous logins: {}", p));
            return false;
        }
    }

    /**
     * What a session of this user was logged in with: the user's entry in the password file now. A session whose
     * entry changed (a new password) or went (a removed user) is no longer valid.
     */
    public Optional<String> entryOf(String user) {
        if (!users.contains(user)) {
            return Optional.empty();
        }
        return passwords.file().hashOf(user).map(PasswordHash::encode);
    }

    /** @param everyUser whether each console user must be in the file (at start; a reload may remove one) */
    private static PasswordFile read(ConsoleConfig console, boolean everyUser) throws RulesException {
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
            if (everyUser && file.hashOf(user).isEmpty()) {
                throw new RulesException(List.of(at + "user '" + user + "' is not in the password file " + path.get()));
            }
        }
        return file;
    }

    /**
     * The console user a client certificate names: its CN, as {@code use_identity_as_username} takes it on an MQTT
     * listener. Empty when it has no CN or the CN is not a console user in the password file now.
     */
    public Optional<String> certificateUser(X509Certificate verified) {
        return CertificateUsername.COMMON_NAME
                .of(verified)
                .filter(cn -> entryOf(cn).isPresent());
    }

    /**
     * Checks a login by a client certificate the TLS handshake verified (CA, dates, CRL); it logs in the console user
     * its CN names. A certificate naming no console user counts as a failed login in the throttle.
     */
    public Outcome checkCertificate(X509Certificate verified, String remoteHost) {
        Optional<String> user = certificateUser(verified);
        if (user.isPresent()) {
            throttle.succeeded(remoteHost);
            return new Outcome(true, "client certificate", Duration.ZERO);
        }
        String reason = CertificateUsername.COMMON_NAME
                .of(verified)
                .map(cn -> "certificate CN '" + cn + "' is not a console user")
                .orElse("certificate without a CN");
        return new Outcome(false, reason, throttle.failed(remoteHost));
    }

    /**
     * A wrong CA key passphrase given on the devices page: counted with the failed logins from {@code remoteHost}, so
     * that a session cannot be used to guess the passphrase faster than a password. Returns how long to wait before
     * answering (zero for the first few).
     */
    public Duration passphraseRefused(String remoteHost) {
        return throttle.failed(remoteHost);
    }

    /** Checks one login; a user of the password file who is not a console user is refused after the same work. */
    public Outcome check(String username, byte[] password, String remoteHost) {
        ClientIdentity identity =
                new ClientIdentity("console", Optional.of(username), Optional.empty(), listener, remoteHost, 4);
        Decision decision = passwords.check().authenticate(new ConnectRequest(identity, Optional.of(password)));
        if (decision.isAllowed() && users.contains(username)) {
            throttle.succeeded(remoteHost);
            return new Outcome(true, decision.reason(), Duration.ZERO);
        }
        String reason = decision.isAllowed() ? "not a console user" : decision.reason();
        return new Outcome(false, reason, throttle.failed(remoteHost));
    }
}
