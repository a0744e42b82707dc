package dev.drawbridge.broker.security;

import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.SecurityConfig;
import dev.drawbridge.broker.conf.TlsConfig;
import dev.drawbridge.broker.net.ConnectGate;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All listeners' rules. Listeners with the same security settings (every listener, unless
 * {@code per_listener_settings true}) share one loaded set of rules.
 */
public final class BrokerSecurity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);

    private final Map<SecurityConfig, Rules> rulesByConfig;
    private final List<ConnectGate> gates;
    private final ClientRegistry registry;
    private final PluginChecks checks;

    private final Optional<KnownClientsFile> known;

    private BrokerSecurity(
            Map<SecurityConfig, Rules> rulesByConfig,
            List<ConnectGate> gates,
            ClientRegistry registry,
            PluginChecks checks,
            Optional<KnownClientsFile> known) {
        this.known = known;
        this.checks = checks;
        this.rulesByConfig = rulesByConfig;
        this.gates = gates;
        this.registry = registry;
    }

    /**
     * Loads every password file, ACL file and plugin; any problem fails the whole load (fail closed).
     *
     * @param knownClients where the owners of persistent sessions are kept, when the broker persists
     */
    public static BrokerSecurity load(List<ListenerConfig> listeners, Optional<Path> knownClients)
            throws RulesException {
        PluginChecks checks = PluginChecks.fromSystemProperty();
        Map<SecurityConfig, Rules> rules = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ListenerConfig listener : listeners) {
            if (!rules.containsKey(listener.security())) {
                try {
                    rules.put(listener.security(), Rules.load(listener.security(), checks));
                } catch (RulesException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            rules.values().forEach(Rules::close);
            checks.close();
            throw new RulesException(problems.stream().distinct().toList());
        }
        Map<String, Rules> byListener = new LinkedHashMap<>();
        listeners.forEach(l -> byListener.putIfAbsent(Integer.toString(l.port()), rules.get(l.security())));
        Optional<KnownClientsFile> known = knownClients.map(KnownClientsFile::open);
        ClientRegistry registry = new ClientRegistry(
                () -> rules.values().stream().allMatch(r -> r.get().isOpen()),
                known,
                name -> Optional.ofNullable(byListener.get(name)));
        LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
        List<ConnectGate> gates = new ArrayList<>();
        for (ListenerConfig listener : listeners) {
            gates.add(new ListenerSecurity(
                    Integer.toString(listener.port()),
                    Objects.requireNonNull(rules.get(listener.security()), "loaded above"),
                    registry,
                    throttle,
                    certificateUsername(listener),
                    listener.tls().map(TlsConfig::refuseIdentityTakeover).orElse(true)));
        }
        return new BrokerSecurity(rules, gates, registry, checks, known);
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

    /** The gate of the listener at this position in the configuration. */
    public ConnectGate gate(int listenerIndex) {
        return gates.get(listenerIndex);
    }

    public DeliveryPolicy deliveries() {
        return registry;
    }

    /**
     * Reloads every password file, ACL file and plugin. A set that fails to load keeps its previous rules, and each
     * problem is logged as {@code FILE:LINE: reason} (Mosquitto would fall back to weaker rules here).
     */
    public void reload() {
        rulesByConfig.forEach((config, rules) -> {
            try {
                rules.reload();
                registry.afterReload(rules);
            } catch (RulesException e) {
                e.problems().forEach(p -> LOG.error("Reload kept the previous rules: {}", p));
            }
        });
    }

    @Override
    public void close() {
        rulesByConfig.values().forEach(Rules::close);
        checks.close();
        known.ifPresent(KnownClientsFile::close);
    }
}
