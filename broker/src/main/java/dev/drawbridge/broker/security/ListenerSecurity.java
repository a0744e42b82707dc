package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import dev.drawbridge.acl.spi.UserProperty;
import dev.drawbridge.broker.net.ConnectGate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connect gate of one listener: its rules, the client registry and the login throttle. */
final class ListenerSecurity implements ConnectGate {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final String listener;
    private final Rules rules;
    private final ClientRegistry registry;
    private final LoginThrottle throttle;
    private final CertificateUsername certificateUsername;
    private final boolean refuseIdentityTakeover;

    /**
     * @param refuseIdentityTakeover with a certificate username: refuse a client id that another certificate identity
     *     holds ({@code refuse_identity_takeover})
     */
    ListenerSecurity(
            String listener,
            Rules rules,
            ClientRegistry registry,
            LoginThrottle throttle,
            CertificateUsername certificateUsername,
            boolean refuseIdentityTakeover) {
        this.listener = listener;
        this.certificateUsername = certificateUsername;
        this.refuseIdentityTakeover = refuseIdentityTakeover;
        this.rules = rules;
        this.registry = registry;
        this.throttle = throttle;
    }

    /**
     * With a plugin in the rules, the login is decided on a {@link PluginChecks} thread; a certificate login and the
     * files alone are decided at once.
     */
    @Override
    public CompletableFuture<Verdict> checkLater(Attempt attempt) {
        SecurityRules now = rules.get();
        if (certificateUsername != CertificateUsername.NONE || !now.hasPlugins()) {
            return CompletableFuture.completedFuture(check(attempt));
        }
        return now.checks()
                .later(
                        "Login check for " + attempt.clientId(),
                        () -> check(attempt),
                        Verdict.refuse("login check failed", Duration.ZERO));
    }

    @Override
    public Verdict check(Attempt attempt) {
        try {
            if (certificateUsername != CertificateUsername.NONE) {
                return checkCertificate(attempt);
            }
            ClientIdentity identity = new ClientIdentity(
                    attempt.clientId(),
                    attempt.username(),
                    attempt.peerCertificate().map(CertificateUsername::identityOf),
                    listener,
                    attempt.remoteAddress(),
                    attempt.protocolLevel());
            SecurityRules now = rules.get();
            Decision decision = now.authenticate(new ConnectRequest(identity, attempt.password()));
            if (!decision.isAllowed()) {
                // The connection logs the refusal with this reason; the password is never logged.
                return Verdict.refuse(decision.reason(), throttle.failed(attempt.remoteHost()));
            }
            throttle.succeeded(attempt.remoteHost());
            Optional<String> hash = identity.effectiveUsername().flatMap(now::passwordHashOf);
            return Verdict.accept(new ClientAdmission(identity, hash), decision.reason());
        } catch (RuntimeException e) {
            LOG.warn("Login check for {} failed; refusing: {}", attempt.clientId(), e.toString());
            return Verdict.refuse("login check failed", throttle.failed(attempt.remoteHost()));
        }
    }

    /**
     * {@code use_identity_as_username}/{@code use_subject_as_username}: the verified certificate is the login; the
     * CONNECT's username and password are not used (Mosquitto). With {@code refuse_identity_takeover} (the default) a
     * client id already held by another certificate identity (connected, or an offline persistent session) is refused;
     * without it, as in Mosquitto, the newcomer takes the session over.
     */
    private Verdict checkCertificate(Attempt attempt) {
        if (attempt.peerCertificate().isEmpty()) {
            return Verdict.refuse(
                    "no client certificate, and this listener takes the username from it",
                    throttle.failed(attempt.remoteHost()));
        }
        Optional<String> name = certificateUsername.of(attempt.peerCertificate().get());
        if (name.isEmpty()) {
            return Verdict.refuse(
                    "the client certificate has no "
                            + (certificateUsername == CertificateUsername.SUBJECT ? "subject" : "CN"),
                    throttle.failed(attempt.remoteHost()));
        }
        ClientIdentity identity = new ClientIdentity(
                attempt.clientId(),
                name,
                Optional.of(
                        CertificateUsername.identityOf(attempt.peerCertificate().get())),
                listener,
                attempt.remoteAddress(),
                attempt.protocolLevel());
        Optional<String> owner = registry.ownerOf(attempt.clientId());
        if (refuseIdentityTakeover && owner.isPresent() && !owner.equals(name)) {
            // One valid certificate must not knock another device's session off the broker, nor read its queue.
            return Verdict.refuse(
                    "client id " + attempt.clientId() + " belongs to " + owner.get() + ", not to " + name.get(),
                    throttle.failed(attempt.remoteHost()));
        }
        throttle.succeeded(attempt.remoteHost());
        return Verdict.accept(new ClientAdmission(identity, Optional.empty()), "client certificate");
    }

    private final class ClientAdmission implements Admission {
        private final ClientIdentity identity;
        private final Optional<String> passwordHash;
        private boolean cleanSession = true;
        private ClientRegistry.@Nullable Known entry;

        ClientAdmission(ClientIdentity identity, Optional<String> passwordHash) {
            this.identity = identity;
            this.passwordHash = passwordHash;
        }

        @Override
        public Optional<String> username() {
            return identity.username();
        }

        @Override
        public boolean mayPublish(String topic, int qos, boolean retain, List<UserProperty> userProperties) {
            try {
                return rules.mayPublish(identity, topic, qos, retain, userProperties);
            } catch (RuntimeException e) {
                LOG.warn("PUBLISH check for {} failed; denying: {}", identity.clientId(), e.toString());
                return false;
            }
        }

        @Override
        public CompletableFuture<Boolean> mayPublishLater(
                String topic, int qos, boolean retain, List<UserProperty> userProperties) {
            SecurityRules now = rules.get();
            if (!now.hasPlugins()) {
                return CompletableFuture.completedFuture(mayPublish(topic, qos, retain, userProperties));
            }
            return now.checks()
                    .later(
                            "PUBLISH check for " + identity.clientId(),
                            () -> mayPublish(topic, qos, retain, userProperties),
                            false);
        }

        @Override
        public CompletableFuture<Void> prepareSubscribe(List<String> filters) {
            SecurityRules now = rules.get();
            ClientRegistry.Known mine = entry;
            if (!now.hasPlugins() || mine == null) {
                return CompletableFuture.completedFuture(null);
            }
            Map<String, Boolean> refused = new HashMap<>();
            filters.forEach(f -> refused.put(f, false));
            return now.checks()
                    .later("SUBSCRIBE check for " + identity.clientId(), () -> decideSubscribe(filters), refused)
                    .thenAccept(mine::prepared);
        }

        private Map<String, Boolean> decideSubscribe(List<String> filters) {
            Map<String, Boolean> answers = new HashMap<>();
            for (String filter : filters) {
                answers.computeIfAbsent(filter, f -> rules.maySubscribe(identity, f));
            }
            return answers;
        }

        @Override
        public void connected(String clientId, boolean cleanSession, Runnable disconnect) {
            this.cleanSession = cleanSession;
            entry = registry.connected(identity, rules, passwordHash, disconnect, cleanSession);
        }

        @Override
        public void disconnected(String clientId) {
            ClientRegistry.Known mine = entry;
            if (mine != null) {
                registry.disconnected(mine, cleanSession);
            }
        }
    }
}
