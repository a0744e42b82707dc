package dev.drawbridge.broker.security;

import dev.drawbridge.acl.aclfile.AclFile;
import dev.drawbridge.acl.aclfile.AclFileAuthorizer;
import dev.drawbridge.acl.aclfile.AclFileException;
import dev.drawbridge.acl.passwordfile.PasswordFile;
import dev.drawbridge.acl.passwordfile.PasswordFileAuthenticator;
import dev.drawbridge.acl.passwordfile.PasswordFileException;
import dev.drawbridge.acl.passwordfile.PasswordHash;
import dev.drawbridge.acl.spi.AccessRequest;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import dev.drawbridge.acl.topic.ReservedTopics;
import dev.drawbridge.broker.conf.PluginConfig;
import dev.drawbridge.broker.conf.SecurityConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One set of loaded rules: the plugins (in file order), then the password file for logins and the ACL file for access.
 * Immutable once loaded; a reload builds a new one and closes the old one.
 *
 * <p>Logins: the first plugin or password file that allows or denies decides. When all abstain, an anonymous client
 * is let in when {@code allow_anonymous} is on; a client with a username is refused when a password file or plugin
 * exists (nobody vouched for it), else let in when {@code allow_anonymous} is on.
 *
 * <p>Access: {@code $SYS} writes are refused first, then plugins, then the ACL file decide; the first that allows or
 * denies wins. With no ACL file and no plugin everything else is allowed (Mosquitto); with plugins but no ACL file, a
 * request every plugin abstains on is denied.
 */
final class SecurityRules implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityRules.class);

    private final SecurityConfig config;
    private final Optional<PasswordFile> passwords;
    private final Optional<AclFileAuthorizer> acl;
    private final List<LoadedPlugin> plugins;
    private final PluginChecks checks;

    private SecurityRules(
            SecurityConfig config,
            Optional<PasswordFile> passwords,
            Optional<AclFileAuthorizer> acl,
            List<LoadedPlugin> plugins,
            PluginChecks checks) {
        this.config = config;
        this.checks = checks;
        this.passwords = passwords;
        this.acl = acl;
        this.plugins = List.copyOf(plugins);
    }

    /** Loads every file and plugin the configuration names; all problems are collected before failing. */
    static SecurityRules load(SecurityConfig config, PluginChecks checks) throws RulesException {
        List<String> problems = new ArrayList<>();
        Optional<PasswordFile> passwords = Optional.empty();
        if (config.passwordFile().isPresent()) {
            try {
                PasswordFile file = PasswordFile.load(config.passwordFile().get());
                file.warnings().forEach(w -> LOG.warn("{}", w));
                passwords = Optional.of(file);
            } catch (PasswordFileException e) {
                problems.add(e.getMessage());
            }
        }
        Optional<AclFileAuthorizer> acl = Optional.empty();
        if (config.aclFile().isPresent()) {
            try {
                acl = Optional.of(
                        new AclFileAuthorizer(AclFile.load(config.aclFile().get())));
            } catch (AclFileException e) {
                problems.add(e.getMessage());
            }
        }
        List<LoadedPlugin> plugins = new ArrayList<>();
        for (PluginConfig plugin : config.plugins()) {
            try {
                plugins.add(LoadedPlugin.load(plugin));
            } catch (RulesException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            plugins.forEach(LoadedPlugin::close);
            throw new RulesException(problems);
        }
        return new SecurityRules(config, passwords, acl, plugins, checks);
    }

    SecurityConfig config() {
        return config;
    }

    /** Where the checks that ask a plugin run, and each plugin call's deadline. */
    PluginChecks checks() {
        return checks;
    }

    /** Whether any rule can say who a user is (then an unvouched username is refused). */
    private boolean hasAuthSources() {
        return passwords.isPresent() || !plugins.isEmpty();
    }

    /** Decides a login; never throws. */
    Decision authenticate(ConnectRequest request) {
        for (LoadedPlugin plugin : plugins) {
            Decision d = checks.call(
                    plugin.name(), () -> plugin.plugin().authenticator().authenticate(request));
            if (d.verdict() != Decision.Verdict.ABSTAIN) {
                return d;
            }
        }
        if (passwords.isPresent()) {
            Decision d = new PasswordFileAuthenticator(passwords.get()).authenticate(request);
            if (d.verdict() != Decision.Verdict.ABSTAIN) {
                return d;
            }
        }
        boolean anonymous = request.identity().effectiveUsername().isEmpty();
        if (anonymous) {
            return config.allowAnonymous()
                    ? Decision.allow("anonymous access allowed")
                    : Decision.deny("anonymous access is off on this listener (allow_anonymous false)");
        }
        if (hasAuthSources()) {
            return Decision.deny("no plugin or password file accepted the username");
        }
        return config.allowAnonymous()
                ? Decision.allow("no password file; anonymous access allowed")
                : Decision.deny("no password_file or plugin to check the username against");
    }

    /** Decides an access; never throws. */
    Decision authorize(AccessRequest request) {
        String reserved = ReservedTopics.refusal(request);
        if (reserved != null) {
            return Decision.deny(reserved);
        }
        for (LoadedPlugin plugin : plugins) {
            Decision d = checks.call(
                    plugin.name(), () -> plugin.plugin().authorizer().authorize(request));
            if (d.verdict() != Decision.Verdict.ABSTAIN) {
                return d;
            }
        }
        if (acl.isPresent()) {
            try {
                return acl.get().authorize(request);
            } catch (RuntimeException e) {
                LOG.warn("ACL check failed; denying: {}", e.toString());
                return Decision.deny("ACL check failed");
            }
        }
        return plugins.isEmpty() ? Decision.allow("no ACL configured") : Decision.deny("no plugin decided");
    }

    /** The stored hash of a user at this moment, to notice a changed password on reload. */
    Optional<String> passwordHashOf(String username) {
        return passwords.flatMap(p -> p.hashOf(username)).map(PasswordHash::encode);
    }

    boolean hasPlugins() {
        return !plugins.isEmpty();
    }

    boolean hasPasswordFile() {
        return passwords.isPresent();
    }

    /** Whether every access is allowed (no ACL, no plugin): deliveries need no per-client identity. */
    boolean isOpen() {
        return acl.isEmpty() && plugins.isEmpty();
    }

    @Override
    public void close() {
        plugins.forEach(LoadedPlugin::close);
    }
}
