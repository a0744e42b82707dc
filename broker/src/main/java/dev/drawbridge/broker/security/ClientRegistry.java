package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.broker.engine.message.Publisher;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who each client id is: filled when a client connects, kept for offline persistent sessions (their queued messages
 * are checked too), dropped when a clean session ends. It answers the per-delivery READ check and finds the
 * connections a reload must close.
 */
final class ClientRegistry implements DeliveryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    /**
     * What is known of one connection (or, with no disconnect hook, of an offline persistent session).
     *
     * @param subscribeAnswers the plugins' answers for the filters of the SUBSCRIBE the connection is about to hand
     *     the engine, decided off the I/O thread beforehand ({@link #prepared})
     */
    record Known(
            ClientIdentity identity,
            Rules rules,
            Optional<String> passwordHash,
            @Nullable Runnable disconnect,
            AtomicReference<Map<String, Boolean>> subscribeAnswers) {

        Known(ClientIdentity identity, Rules rules, Optional<String> passwordHash, @Nullable Runnable disconnect) {
            this(identity, rules, passwordHash, disconnect, new AtomicReference<>(Map.of()));
        }

        /** Replaces the answers of the previous SUBSCRIBE with those of the next one. */
        void prepared(Map<String, Boolean> answers) {
            subscribeAnswers.set(Map.copyOf(answers));
        }
    }

    private final Map<String, Known> clients = new ConcurrentHashMap<>();
    /** The client ids of bridges without {@code local_username}: trusted, as Mosquitto trusts a bridge. */
    private final Set<String> trustedBridges = ConcurrentHashMap.newKeySet();

    private final BooleanSupplier unknownClientsMayRead;
    private final Optional<KnownClientsFile> persistent;
    private final Function<String, Optional<Rules>> rulesOfListener;

    /**
     * @param unknownClientsMayRead whether a client never seen may receive: true only while every rule set is open
     * @param persistent the owners of persistent sessions from before a restart, kept up to date
     * @param rulesOfListener the rules of a listener, by its name, for those owners
     */
    ClientRegistry(
            BooleanSupplier unknownClientsMayRead,
            Optional<KnownClientsFile> persistent,
            Function<String, Optional<Rules>> rulesOfListener) {
        this.unknownClientsMayRead = unknownClientsMayRead;
        this.persistent = persistent;
        this.rulesOfListener = rulesOfListener;
        persistent.ifPresent(file -> file.all()
                .forEach((id, identity) -> rulesOfListener
                        .apply(identity.listener())
                        .ifPresent(rules -> clients.put(id, new Known(identity, rules, Optional.empty(), null)))));
    }

    /** Records a connection; the returned entry is what {@link #disconnected} must be given back. */
    Known connected(
            ClientIdentity identity,
            Rules rules,
            Optional<String> passwordHash,
            Runnable disconnect,
            boolean cleanSession) {
        Known known = new Known(identity, rules, passwordHash, disconnect);
        clients.put(identity.clientId(), known);
        persistent.ifPresent(file -> {
            if (cleanSession) {
                file.forget(identity.clientId());
            } else {
                file.remember(identity);
            }
        });
        return known;
    }

    /**
     * A bridge's in-process client is connecting: judged by {@code rules} as {@code identity}, or trusted without
     * rules. It replaces whatever a network client with that client id left, whose connection the bridge's takes over.
     */
    void bridge(ClientIdentity identity, Optional<Rules> rules) {
        String id = identity.clientId();
        if (rules.isPresent()) {
            trustedBridges.remove(id);
            clients.put(id, new Known(identity, rules.get(), Optional.empty(), null));
        } else {
            clients.remove(id);
            trustedBridges.add(id);
        }
    }

    /**
     * An in-process client of the broker (a console's live view) under key {@code clientId}, judged as {@code identity}:
     * so its identity may name another client id (the console's), whose cached decisions it shares.
     */
    Known inProcess(String clientId, ClientIdentity identity, Rules rules) {
        Known known = new Known(identity, rules, Optional.empty(), null);
        clients.put(clientId, known);
        return known;
    }

    /** Forgets an in-process client's entry, if it is still this one. */
    void disconnected(String clientId, Known entry) {
        clients.remove(clientId, entry);
    }

    /**
     * A connection closed. Only its own entry is touched: a newer connection with the same client id (a takeover)
     * may already have replaced it, and keeps its rights.
     */
    void disconnected(Known connection, boolean cleanSession) {
        clients.computeIfPresent(connection.identity().clientId(), (id, current) -> {
            if (current != connection) {
                return current;
            }
            return cleanSession ? null : new Known(current.identity(), current.rules(), current.passwordHash(), null);
        });
    }

    /** The clients connected now, by client id: a read of a concurrent map, never waiting for a connection. */
    Map<String, ConnectedClient> connectedClients() {
        Map<String, ConnectedClient> all = new java.util.TreeMap<>();
        clients.forEach((id, known) -> {
            if (known.disconnect() != null) {
                ClientIdentity identity = known.identity();
                all.put(
                        id,
                        new ConnectedClient(
                                id,
                                identity.effectiveUsername(),
                                identity.certificate().map(c -> c.subject()),
                                identity.listener(),
                                identity.remoteAddress(),
                                identity.protocolLevel()));
            }
        });
        return all;
    }

    /** Closes the connection of this client, if it is connected; its session then ends as after a network loss. */
    boolean disconnect(String clientId) {
        Known known = clients.get(clientId);
        Runnable close = known == null ? null : known.disconnect();
        if (close == null) {
            return false;
        }
        close.run();
        return true;
    }

    /**
     * The username that owns this client id now: a connected client, or an offline persistent session. Empty when
     * the id is free.
     */
    Optional<String> ownerOf(String clientId) {
        Known known = clients.get(clientId);
        return known == null ? Optional.empty() : known.identity().effectiveUsername();
    }

    /** Whether this client may subscribe to this filter (only plugins can refuse a well-formed one). */
    @Override
    public boolean maySubscribe(String clientId, String filter) {
        try {
            Known known = clients.get(clientId);
            if (known == null) {
                return trustedBridges.contains(clientId) || unknownClientsMayRead.getAsBoolean();
            }
            Boolean prepared = Objects.requireNonNull(known.subscribeAnswers().get(), "always set")
                    .get(filter);
            if (prepared != null) {
                return prepared;
            }
            return known.rules().maySubscribe(known.identity(), filter);
        } catch (RuntimeException e) {
            LOG.warn("SUBSCRIBE check for {} on '{}' failed; refusing: {}", clientId, filter, e.toString());
            return false;
        }
    }

    @Override
    public boolean mayReceive(String clientId, String topic, int qos, boolean retain) {
        try {
            Known known = clients.get(clientId);
            if (known == null) {
                return trustedBridges.contains(clientId) || unknownClientsMayRead.getAsBoolean();
            }
            return known.rules().mayRead(known.identity(), topic, qos, retain);
        } catch (RuntimeException e) {
            LOG.warn("READ check for {} on '{}' failed; not delivering: {}", clientId, topic, e.toString());
            return false;
        }
    }

    @Override
    public @Nullable Publisher publisher(String clientId) {
        Known known = clients.get(clientId);
        if (known == null) {
            return null;
        }
        ClientIdentity identity = known.identity();
        return new Publisher(clientId, identity.effectiveUsername(), identity.listener());
    }

    /**
     * Mosquitto's retain.c: the publisher's client id, username and listener, asked for WRITE of the retained
     * message's topic, QoS and RETAIN=1 under its listener's rules as they are now (so a reload that took the right
     * away hides the message). A listener no rules belong to lets nobody write.
     */
    @Override
    public boolean publisherMayWrite(Publisher publisher, String topic, int qos) {
        try {
            Optional<Rules> rules = rulesOfListener.apply(publisher.listener());
            if (rules.isEmpty()) {
                return false;
            }
            ClientIdentity identity = new ClientIdentity(
                    publisher.clientId(), publisher.username(), Optional.empty(), publisher.listener(), "", 4);
            return rules.get().mayPublish(identity, topic, qos, true, List.of());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Retained source check for {} on '{}' failed; not delivering: {}",
                    publisher.clientId(),
                    topic,
                    e.toString());
            return false;
        }
    }

    /**
     * After {@code rules} were reloaded: closes the connections the new rules would not let in, as Mosquitto does: a
     * user removed from the password file or whose password changed, a user who logged in with the password file
     * when no password file, plugin or anonymous access is left, and an anonymous client where anonymous access is now
     * off.
     */
    void afterReload(Rules rules) {
        SecurityRules now = rules.get();
        clients.forEach((id, known) -> {
            if (known.rules() != rules || known.disconnect() == null) {
                return;
            }
            String why = refusal(now, known);
            if (why != null) {
                LOG.info(
                        "Client {} (user {}) disconnected: {} after reload.",
                        id,
                        known.identity().effectiveUsername().orElse("<anonymous>"),
                        why);
                known.disconnect().run();
            }
        });
    }

    /** Why the reloaded rules would not let this connection in, or null when they would. */
    private static @Nullable String refusal(SecurityRules now, Known known) {
        Optional<String> user = known.identity().effectiveUsername();
        if (user.isEmpty()) {
            return now.config().allowAnonymous() ? null : "anonymous access turned off";
        }
        if (known.passwordHash().isEmpty()) {
            return null; // not a password-file login: a certificate name or a plugin vouched for it
        }
        if (!now.hasPasswordFile()) {
            return now.config().allowAnonymous() || now.hasPlugins() ? null : "no password file any more";
        }
        Optional<String> hash = now.passwordHashOf(user.get());
        if (hash.isEmpty()) {
            return "user removed";
        }
        return hash.equals(known.passwordHash()) ? null : "password changed";
    }
}
