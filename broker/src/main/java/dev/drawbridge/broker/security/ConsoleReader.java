package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.ClientIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a logged-in console user may read: that user, as client id {@code console}, under the rules of an MQTT listener
 * (the first with the console listener's security settings, else the first), through the same cached READ check as
 * every delivery to an MQTT subscriber. The console's topic tree asks it per retained message; its live view is
 * registered as an in-process client with the same identity, so the engine's own check judges each delivery.
 */
public final class ConsoleReader {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.broker.connections");

    /** The client id a console user is judged as, by every ACL rule and plugin (a {@code %c} pattern sees it). */
    public static final String CLIENT_ID = "console";

    private final ClientIdentity identity;
    private final Rules rules;
    private final ClientRegistry registry;

    ConsoleReader(ClientIdentity identity, Rules rules, ClientRegistry registry) {
        this.identity = identity;
        this.rules = rules;
        this.registry = registry;
    }

    /** Whether the user may receive a message on this topic; never throws (a failed check denies). */
    public boolean mayRead(String topic, int qos, boolean retain) {
        try {
            return rules.mayRead(identity, topic, qos, retain);
        } catch (RuntimeException e) {
            LOG.warn("READ check for console user {} on '{}' failed; hiding it: {}", user(), topic, e.toString());
            return false;
        }
    }

    public String user() {
        return identity.username().orElse("");
    }

    /**
     * Lets the engine's in-process client {@code watchId} receive what this user may READ, and nothing else, until the
     * returned registration is closed.
     */
    public AutoCloseable watching(String watchId) {
        ClientRegistry.Known known = registry.inProcess(watchId, identity, rules);
        return () -> registry.disconnected(watchId, known);
    }
}
