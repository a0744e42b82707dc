package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The security options being read for the whole broker or, with {@code per_listener_settings true}, for one
 * listener. Referenced files must be readable now: a missing password or ACL file never yields an open broker.
 */
final class SecurityDraft {

    static final Set<String> OPTIONS = Set.of("allow_anonymous", "password_file", "acl_file", "plugin");

    private @Nullable Boolean allowAnonymous;
    private Optional<Path> passwordFile = Optional.empty();
    private Optional<Path> aclFile = Optional.empty();
    private final List<PluginDraft> plugins = new ArrayList<>();

    /** Applies one of {@link #OPTIONS}; returns the new plugin for a {@code plugin} line, else null. */
    @Nullable
    PluginDraft apply(ConfigLine line, Diagnostics d) {
        switch (line.option()) {
            case "allow_anonymous" -> Values.bool(d, line).ifPresent(v -> allowAnonymous = v);
            case "password_file" -> passwordFile = keepIfBad(Values.readableFile(d, line), passwordFile);
            case "acl_file" -> aclFile = keepIfBad(Values.readableFile(d, line), aclFile);
            case "plugin" -> {
                // Kept even when the jar is bad, so that its plugin_opt_ lines are not reported as orphans.
                PluginDraft plugin = new PluginDraft(
                        line.value(), Values.readableFile(d, line).orElse(null));
                plugins.add(plugin);
                return plugin;
            }
            default -> throw new IllegalArgumentException("not a security option: " + line.option());
        }
        return null;
    }

    private static Optional<Path> keepIfBad(Optional<Path> parsed, Optional<Path> before) {
        // A bad line is an error anyway; keeping the earlier value only avoids follow-on noise.
        return parsed.isPresent() ? parsed : before;
    }

    /** Only called when no problem was found, so every plugin jar is known. */
    SecurityConfig build(boolean defaultAllowAnonymous) {
        List<PluginConfig> built = plugins.stream()
                .map(p -> new PluginConfig(Objects.requireNonNull(p.jar), p.options))
                .toList();
        return new SecurityConfig(
                allowAnonymous == null ? defaultAllowAnonymous : allowAnonymous, passwordFile, aclFile, built);
    }

    /** A {@code plugin} line and the {@code plugin_opt_NAME VALUE} lines that follow it. */
    static final class PluginDraft {
        private final String given;
        private final @Nullable Path jar;
        private final Map<String, String> options = new LinkedHashMap<>();

        PluginDraft(String given, @Nullable Path jar) {
            this.given = given;
            this.jar = jar;
        }

        void option(ConfigLine line, Diagnostics d) {
            String name = line.option().substring("plugin_opt_".length());
            if (name.isEmpty()) {
                d.error(line, "plugin_opt_: expected plugin_opt_NAME VALUE, found no NAME");
            } else if (line.value().isEmpty()) {
                d.error(line, line.option() + ": expected a value, found nothing");
            } else if (options.containsKey(name)) {
                d.error(line, line.option() + ": given twice for plugin '" + given + "'");
            } else {
                options.put(name, line.value());
            }
        }
    }
}
