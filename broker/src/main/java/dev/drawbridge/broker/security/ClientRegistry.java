package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.ClientIdentity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
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

    private record Known(
            ClientIdentity identity,
            Rules rules,
            Optional<String> passwordHash,
            @Nullable Runnable disconnect) {}

    private final Map<String, Known> clients = new ConcurrentHashMap<>();
    private final BooleanSupplier unknownClientsMayRead;

    /**
     * @param unknownClientsMayRead whether a client never seen (e.g. a persistent session from before a restart) may
     *     receive: true only while every rule set is open
     */
    ClientRegistry(BooleanSupplier unknownClientsMayRead) {
        this.unknownClientsMayRead = unknownClientsMayRead;
    }

    void connected(ClientIdentity identity, Rules rules, Optional<String> passwordHash, Runnable disconnect) {
        clients.put(identity.clientId(), new Known(identity, rules, passwordHash, disconnect));
    }

    void disconnected(String clientId, boolean cleanSession) {
        if (cleanSession) {
            clients.remove(clientId);
        } else {
            clients.computeIfPresent(clientId, (id, k) -> new Known(k.identity(), k.rules(), k.passwordHash(), null));
        }
    }

    @Override
    public boolean mayReceive(String clientId, String topic, int qos, boolean retain) {
        try {
            Known known = clients.get(clientId);
            if (known == null) {
                return unknownClientsMayRead.getAsBoolean();
            }
            return known.rules().mayRead(known.identity(), topic, qos, retain);
        } catch (RuntimeException e) {
            LOG.warn("READ check for {} on '{}' failed; not delivering: {}", clientId, topic, e.toString());
            return false;
        }
    }

    /**
     * After {@code rules} were reloaded: closes the connections whose user was removed from the password file or
     * whose password changed (Mosquitto does the same).
     */
    void afterReload(Rules rules) {
        SecurityRules now = rules.get();
        if (!now.hasPasswordFile()) {
            return;
        }
        clients.forEach((id, known) -> {
            if (known.rules() != rules || known.disconnect() == null) {
                return;
            }
            Optional<String> user = known.identity().effectiveUsername();
            if (user.isEmpty() || known.passwordHash().isEmpty()) {
                return;
            }
            Optional<String> hash = now.passwordHashOf(user.get());
            if (hash.isEmpty() || !hash.equals(known.passwordHash())) {
                LOG.info(
                        "Client {} (user {}) disconnected: {} after reload.",
                        id,
                        user.get(),
                        hash.isEmpty() ? "user removed" : "password changed");
                known.disconnect().run();
            }
        });
    }
}
