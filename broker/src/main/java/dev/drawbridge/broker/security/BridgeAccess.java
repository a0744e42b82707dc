package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.acl.spi.UserProperty;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bridge's in-process client may do on this broker. With {@code local_username} it is that user to the rules of
 * the first listener: its PUBLISH (what comes in from the remote broker), its SUBSCRIBE and what it receives (what goes
 * out) are checked like any client's. Without one it is trusted, as Mosquitto 2.0 trusts a bridge ({@code
 * mosquitto_acl_check} in its {@code src/security.c} allows everything for a bridge).
 */
public final class BridgeAccess {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    private final ClientIdentity identity;
    private final Rules rules;
    private final ClientRegistry registry;

    BridgeAccess(ClientIdentity identity, Rules rules, ClientRegistry registry) {
        this.identity = identity;
        this.rules = rules;
        this.registry = registry;
    }

    /** Whether the rules judge this bridge (it has a {@code local_username}). */
    public boolean checked() {
        return identity.username().isPresent();
    }

    /**
     * Whether a message from the remote broker may be published here; asked on the bridge's own thread, where a
     * plugin may take its time. Never throws: a failed check denies.
     */
    public boolean mayPublish(String topic, int qos, boolean retain, List<UserProperty> userProperties) {
        if (!checked()) {
            return true;
        }
        try {
            return rules.mayPublish(identity, topic, qos, retain, userProperties);
        } catch (RuntimeException e) {
            LOG.warn("PUBLISH check for bridge {} failed; denying: {}", identity.clientId(), e.toString());
            return false;
        }
    }

    /**
     * The bridge's client is about to connect: from now on its subscriptions and deliveries are judged as this
     * bridge's, also while it is offline with a persistent session.
     */
    public void connecting() {
        registry.bridge(identity, checked() ? Optional.of(rules) : Optional.empty());
    }
}
