package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.conf.SecurityDraft.PluginDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code listener}, {@code port}, {@code bind_address}, the options of the most recent listener, and the security
 * options, global or per listener as {@code per_listener_settings} says.
 */
final class ListenerOptions {

    private static final int DEFAULT_PORT = 1883;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
    private static final String ADDRESS = "an IP address or host name";

    private final Diagnostics d;
    private final List<ListenerDraft> listeners = new ArrayList<>();
    /** Made by {@code port}, {@code bind_address} or a listener option before any {@code listener} line. */
    private @Nullable ListenerDraft defaultListener;

    private boolean perListenerSettings;
    private boolean securitySeen;
    private final SecurityDraft globalSecurity = new SecurityDraft();
    /** {@code global_plugin} lines with {@code per_listener_settings true}: they run first on every listener. */
    private final SecurityDraft globalPlugins = new SecurityDraft();

    private @Nullable PluginDraft lastPlugin;
    /** {@code auto_id_prefix} with {@code per_listener_settings false}: every listener's, unless it sets its own. */
    private Optional<String> globalAutoIdPrefix = Optional.empty();

    ListenerOptions(Diagnostics d) {
        this.d = d;
    }

    /** Applies a listener or security option; false if the line is not one. */
    boolean apply(ConfigLine line) {
        String option = line.option();
        switch (option) {
            case "listener" -> listener(line);
            case "port" ->
                Values.integer(d, line, 0, 65535, "a port 0-65535").ifPresent(p -> defaultListener(line).port = p);
            case "bind_address" ->
                address(line, line.value()).ifPresent(a -> defaultListener(line).address = Optional.of(a));
            case "per_listener_settings" -> Values.bool(d, line).ifPresent(v -> perListenerSettings(line, v));
            case "global_plugin" -> globalPlugin(line);
            case "auto_id_prefix" -> autoIdPrefix(line);
            default -> {
                if (SecurityDraft.OPTIONS.contains(option)) {
                    security(line);
                } else if (option.startsWith("plugin_opt_")) {
                    pluginOption(line);
                } else if (ListenerDraft.OPTIONS.contains(option)) {
                    ListenerDraft current = listeners.isEmpty() ? defaultListener(line) : last(listeners);
                    current.apply(line, d);
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private void listener(ConfigLine line) {
        List<String> given = line.words();
        // Mosquitto allows a comment after the address here.
        List<String> words = given.size() > 2 && given.get(2).startsWith("#") ? given.subList(0, 2) : given;
        ListenerDraft listener = new ListenerDraft(line.where(), "listener " + String.join(" ", words), 0);
        listener.broken = true;
        listeners.add(listener);
        if (words.isEmpty() || words.size() > 2) {
            d.error(line, "listener: expected PORT [ADDRESS], found " + line.found());
            return;
        }
        ConfigLine portOnly = new ConfigLine(line.file(), line.number(), line.option(), words.get(0));
        OptionalInt port = Values.integer(d, portOnly, 0, 65535, "a port 0-65535");
        Optional<String> address = words.size() == 2 ? address(line, words.get(1)) : Optional.empty();
        if (port.isPresent() && address.isPresent() == (words.size() == 2)) {
            listener.port = port.getAsInt();
            listener.address = address;
            listener.broken = false;
        }
    }

    private Optional<String> address(ConfigLine line, String value) {
        if (HOST.matcher(value).matches()) {
            return Optional.of(value);
        }
        d.error(line, line.option() + ": expected " + ADDRESS + ", found '" + value + "'");
        return Optional.empty();
    }

    private ListenerDraft defaultListener(ConfigLine line) {
        if (defaultListener == null) {
            defaultListener = new ListenerDraft(line.where(), "default listener", DEFAULT_PORT);
        }
        return defaultListener;
    }

    private void perListenerSettings(ConfigLine line, boolean value) {
        if (securitySeen && value != perListenerSettings) {
            d.error(
                    line,
                    "per_listener_settings: must come before any allow_anonymous, password_file, acl_file"
                            + " or plugin line");
        } else {
            perListenerSettings = value;
        }
    }

    private void security(ConfigLine line) {
        securitySeen = true;
        SecurityDraft target = globalSecurity;
        if (perListenerSettings) {
            ListenerDraft current = listeners.isEmpty() ? defaultListener : last(listeners);
            if (current == null) {
                d.error(line, line.option() + ": with per_listener_settings true, this must follow a listener line");
                return;
            }
            target = current.security;
        }
        PluginDraft plugin = target.apply(line, d);
        if (plugin != null) {
            lastPlugin = plugin;
        }
    }

    /** Mosquitto 2.1: a plugin for every listener, whatever {@code per_listener_settings} says. */
    private void globalPlugin(ConfigLine line) {
        securitySeen = true;
        lastPlugin = (perListenerSettings ? globalPlugins : globalSecurity).plugin(line, d);
    }

    /** Deprecated in Mosquitto 2.1 for {@code listener_auto_id_prefix}; per listener as the security options. */
    private void autoIdPrefix(ConfigLine line) {
        Optional<String> prefix = ListenerDraft.autoIdPrefix(line, d);
        if (!perListenerSettings) {
            globalAutoIdPrefix = prefix.or(() -> globalAutoIdPrefix);
            return;
        }
        ListenerDraft current = listeners.isEmpty() ? defaultListener : last(listeners);
        if (current == null) {
            d.error(line, line.option() + ": with per_listener_settings true, this must follow a listener line");
        } else {
            current.autoIdPrefix = prefix.or(() -> current.autoIdPrefix);
        }
    }

    private void pluginOption(ConfigLine line) {
        if (lastPlugin == null) {
            d.error(line, line.option() + ": must follow a plugin line");
        } else {
            lastPlugin.option(line, d);
        }
    }

    /** {@code FILE:LINE} of the line that made each listener, in the order of {@link #build()}. */
    List<String> origins() {
        return mqtt().stream().map(l -> l.where).toList();
    }

    /** Every listener, the consoles among them. */
    private List<ListenerDraft> all() {
        List<ListenerDraft> all = new ArrayList<>(listeners);
        if (defaultListener != null) {
            all.add(defaultListener); // Mosquitto adds the default listener after the others
        }
        return all;
    }

    /** The listeners that speak MQTT: all but the consoles. */
    private List<ListenerDraft> mqtt() {
        return all().stream().filter(l -> !l.console()).toList();
    }

    /** True when nothing made a listener: Mosquitto 2.0's local-only mode. */
    boolean localOnly() {
        return all().isEmpty();
    }

    /** The checks that need every listener read. */
    void validate() {
        Map<String, ListenerDraft> seen = new HashMap<>();
        if (perListenerSettings) {
            globalPlugins.validate(d, null);
        } else {
            globalSecurity.validate(d, null);
        }
        if (!all().isEmpty() && mqtt().isEmpty()) {
            ListenerDraft console = all().get(0);
            d.error(console.where + ": " + console.name
                    + ": protocol http_api is the console; the broker needs an MQTT listener too");
        }
        for (ListenerDraft listener : all()) {
            listener.validate(d);
            if (perListenerSettings) {
                listener.security.validate(d, globalPlugins);
            }
            if (listener.broken || listener.port == 0) {
                continue; // port 0: the OS picks a free port for each
            }
            String key = listener.port + " " + listener.address.orElse("");
            ListenerDraft first = seen.putIfAbsent(key, listener);
            if (first != null) {
                d.error(listener.where + ": " + listener.name + ": port " + listener.port + " on "
                        + listener.address.orElse("every address") + " is already used by " + first.name + " at "
                        + first.where);
            }
        }
    }

    /** Only called when no problem was found. */
    List<ListenerConfig> build() {
        if (localOnly()) {
            ListenerConfig local = ListenerConfig.plain(DEFAULT_PORT, "127.0.0.1", globalSecurity.build(true, null));
            return List.of(new ListenerConfig(
                    local.port(),
                    local.bindAddress(),
                    local.socketDomain(),
                    local.protocol(),
                    local.maxConnections(),
                    local.tls(),
                    local.security(),
                    new ListenerAdmission(
                            ListenerAdmission.ALL_LEVELS, globalAutoIdPrefix.orElse("auto-"), List.of())));
        }
        SecurityConfig global = globalSecurity.build(false, null);
        return mqtt().stream()
                .map(l -> l.build(
                        perListenerSettings ? l.security.build(false, globalPlugins) : global, globalAutoIdPrefix))
                .toList();
    }

    /** The consoles; only called when no problem was found. */
    List<ConsoleConfig> consoles() {
        SecurityConfig global = globalSecurity.build(false, null);
        return all().stream()
                .filter(ListenerDraft::console)
                .map(l -> l.buildConsole(perListenerSettings ? l.security.build(false, globalPlugins) : global))
                .toList();
    }

    private static ListenerDraft last(List<ListenerDraft> list) {
        return list.get(list.size() - 1);
    }
}
