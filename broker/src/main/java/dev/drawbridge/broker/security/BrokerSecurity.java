package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.ClientIdentity;
import dev.drawbridge.broker.conf.ConsoleConfig;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.SecurityConfig;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.net.ConnectGate;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All listeners' rules. Listeners with the same security settings (every listener, unless
 * {@code per_listener_settings true}) share one loaded set of rules; each listener has its own {@link Rules} holder, so
 * that a reload may regroup them.
 */
public final class BrokerSecurity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);

    /** One holder per listener, in configuration order; a reload swaps what they hold, never the holders. */
    private final List<Rules> rules;

    private final ClientRegistry registry;
    private final PluginChecks checks;
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
    private final Optional<KnownClientsFile> known;
    /** The listeners as last applied, and their gates; replaced together under this object's lock. */
    private volatile List<ListenerConfig> listeners;

    private volatile List<ConnectGate> gates;

    private BrokerSecurity(
            List<ListenerConfig> listeners,
            List<Rules> rules,
            ClientRegistry registry,
            PluginChecks checks,
            Optional<KnownClientsFile> known) {
        this.listeners = List.copyOf(listeners);
        this.rules = List.copyOf(rules);
        this.registry = registry;
        this.checks = checks;
        this.known = known;
        this.gates = gates(this.listeners);
    }

    /**
     * Loads every password file, ACL file and plugin; any problem fails the whole load (fail closed).
     *
     * @param knownClients where the owners of persistent sessions are kept, when the broker persists
     */
    public static BrokerSecurity load(List<ListenerConfig> listeners, Optional<Path> knownClients)
            throws RulesException {
        PluginChecks checks = PluginChecks.fromSystemProperty();
        Map<SecurityConfig, SecurityRules> loaded;
        try {
            loaded = loadAll(listeners, checks);
        } catch (RulesException e) {
            checks.close();
            throw e;
        }
        List<Rules> holders = new ArrayList<>();
        listeners.forEach(l -> holders.add(new Rules(Objects.requireNonNull(loaded.get(l.security()), "loaded"))));
        Map<String, Rules> byListener = new LinkedHashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            byListener.putIfAbsent(Integer.toString(listeners.get(i).port()), holders.get(i));
        }
        Optional<KnownClientsFile> known = knownClients.map(KnownClientsFile::open);
        ClientRegistry registry = new ClientRegistry(
                () -> holders.stream().allMatch(r -> r.get().isOpen()),
                known,
                name -> Optional.ofNullable(byListener.get(name)));
        return new BrokerSecurity(listeners, holders, registry, checks, known);
    }

    /** The rules of each distinct security configuration; on any problem none stays loaded. */
    private static Map<SecurityConfig, SecurityRules> loadAll(List<ListenerConfig> listeners, PluginChecks checks)
            throws RulesException {
        Map<SecurityConfig, SecurityRules> loaded = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ListenerConfig listener : listeners) {
            if (!loaded.containsKey(listener.security())) {
                try {
                    loaded.put(listener.security(), SecurityRules.load(listener.security(), checks));
                } catch (RulesException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            loaded.values().forEach(SecurityRules::close);
            throw new RulesException(problems.stream().distinct().toList());
        }
        return loaded;
    }

    private List<ConnectGate> gates(List<ListenerConfig> configs) {
        List<ConnectGate> built = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ListenerConfig listener = configs.get(i);
            built.add(new ListenerSecurity(
                    Integer.toString(listener.port()),
                    rules.get(i),
                    registry,
                    throttle,
                    certificateUsername(listener),
                    listener.tls().map(TlsConfig::refuseIdentityTakeover).orElse(true)));
        }
        return List.copyOf(built);
    }

    private static CertificateUsername certificateUsername(ListenerConfig listener) {
        if (listener.tls().isEmpty()) {
            return CertificateUsername.NONE;
        }
        if (listener.tls().get().useIdentityAsUsername()) {
            return CertificateUsername.COMMON_NAME;
        }
        return listener.tls().get().useSubjectAsUsername() ? CertificateUsername.SUBJECT : CertificateUsername.NONE;
    }

    /** The gate of the listener at this position in the configuration, as last applied. */
    public ConnectGate gate(int listenerIndex) {
        return gates.get(listenerIndex);
    }

    /** The login of a console: its users checked in its listener's password file, with the MQTT logins' throttle. */
    public ConsoleLogin consoleLogin(ConsoleConfig console) throws RulesException {
        return ConsoleLogin.load(console, throttle);
    }

    /** The clients connected now, by client id, as their logins made them known. */
    public Map<String, ConnectedClient> connectedClients() {
        return registry.connectedClients();
    }

    /**
     * Closes a client's connection (the console's disconnect): as a network loss does, so its will is published.
     *
     * @return false when no client with this id is connected
     */
    public boolean disconnect(String clientId) {
        return registry.disconnect(clientId);
    }

    /**
     * The rights of a bridge's in-process client {@code clientId}: with a {@code local_username}, that user's under the
     * first listener's rules; without one, everything, as in Mosquitto 2.0.
     */
    public BridgeAccess bridge(String clientId, Optional<String> localUsername) {
        String listener =
                listeners.isEmpty() ? "" : Integer.toString(listeners.get(0).port());
        ClientIdentity identity = new ClientIdentity(clientId, localUsername, Optional.empty(), listener, "bridge", 5);
        return new BridgeAccess(identity, rules.get(0), registry);
    }

    /**
     * What console user {@code user} of {@code console} may read: as client id {@link ConsoleReader#CLIENT_ID} under
     * the rules of the first MQTT listener with the console listener's security settings (every listener, unless
     * {@code per_listener_settings true}), else of the first MQTT listener, as a bridge's {@code local_username} is.
     */
    public ConsoleReader consoleReader(ConsoleConfig console, String user) {
        List<ListenerConfig> now = listeners;
        int index = 0;
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i).security().equals(console.listener().security())) {
                index = i;
                break;
            }
        }
        String listener = now.isEmpty() ? "" : Integer.toString(now.get(index).port());
        ClientIdentity identity = new ClientIdentity(
                ConsoleReader.CLIENT_ID, Optional.of(user), Optional.empty(), listener, "console", 5);
        return new ConsoleReader(identity, rules.get(index), registry);
    }

    public DeliveryPolicy deliveries() {
        return registry;
    }

    /**
     * Reloads every password file, ACL file and plugin the current configuration names. On any problem every listener
     * keeps its previous rules and each problem is logged as {@code FILE:LINE: reason} (Mosquitto would fall back to
     * weaker rules here).
     */
    public void reload() {
        reconfigure(listeners);
    }

    /**
     * Loads the rules of {@code newListeners} (the same listeners, in the same order, with their reloaded settings)
     * and puts them in force on every listener at once; then closes the connections the new rules would not let in
     * (a removed user, a changed password, an anonymous client where anonymous access is now off).
     *
     * @return false when a file or plugin could not be loaded: then nothing has changed, and each problem is logged as
     *     {@code FILE:LINE: reason}
     */
    public synchronized boolean reconfigure(List<ListenerConfig> newListeners) {
        if (newListeners.size() != rules.size()) {
            throw new IllegalArgumentException("expected " + rules.size() + " listeners, found " + newListeners.size());
        }
        Map<SecurityConfig, SecurityRules> fresh;
        try {
            fresh = loadAll(newListeners, checks);
        } catch (RulesException e) {
            e.problems().forEach(p -> LOG.error("Reload kept the previous rules: {}", p));
            return false;
        }
        Set<SecurityRules> replaced = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < rules.size(); i++) {
            replaced.add(rules.get(i)
                    .swap(Objects.requireNonNull(fresh.get(newListeners.get(i).security()), "loaded")));
        }
        listeners = List.copyOf(newListeners);
        gates = gates(listeners);
        replaced.forEach(SecurityRules::close);
        rules.forEach(registry::afterReload);
        return true;
    }

    @Override
    public void close() {
        Set<SecurityRules> loaded = Collections.newSetFromMap(new IdentityHashMap<>());
        rules.forEach(r -> loaded.add(r.get()));
        loaded.forEach(SecurityRules::close);
        checks.close();
        known.ifPresent(KnownClientsFile::close);
    }
}
