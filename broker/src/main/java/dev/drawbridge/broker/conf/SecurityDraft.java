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
 *
 * <p>Mosquitto 2.1's bundled plugins {@code mosquitto_password_file.so} and {@code mosquitto_acl_file.so}, in whatever
 * directory, are read as {@code password_file} and {@code acl_file} with the path of their {@code plugin_opt_}.
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
                return plugin(line, d);
            }
            default -> throw new IllegalArgumentException("not a security option: " + line.option());
        }
        return null;
    }

    /** A {@code plugin} or {@code global_plugin} line. */
    PluginDraft plugin(ConfigLine line, Diagnostics d) {
        PluginDraft.Kind kind = PluginDraft.Kind.of(line.value());
        Path jar = null;
        if (kind == PluginDraft.Kind.DYNAMIC_SECURITY) {
            d.error(
                    line,
                    line.option() + ": mosquitto_dynamic_security.so is not supported by Drawbridge, and ignoring it"
                            + " would weaken security; move its users and rules to password_file and acl_file");
        } else if (kind == PluginDraft.Kind.OTHER_NATIVE) {
            d.error(
                    line,
                    line.option() + ": '" + line.value() + "' is a Mosquitto C plugin; Drawbridge loads Java plugin"
                            + " jars (and reads mosquitto_password_file.so and mosquitto_acl_file.so as password_file"
                            + " and acl_file)");
        } else if (kind == PluginDraft.Kind.JAR) {
            jar = Values.readableFile(d, line).orElse(null);
        }
        // Kept even when bad, so that its plugin_opt_ lines are not reported as orphans.
        PluginDraft plugin = new PluginDraft(line, kind, jar);
        plugins.add(plugin);
        return plugin;
    }

    private static Optional<Path> keepIfBad(Optional<Path> parsed, Optional<Path> before) {
        // A bad line is an error anyway; keeping the earlier value only avoids follow-on noise.
        return parsed.isPresent() ? parsed : before;
    }

    /**
     * The checks that need every line: a bundled plugin has its file, and each file is given once. {@code global}
     * holds the {@code global_plugin} lines that also apply here (with {@code per_listener_settings true}).
     */
    void validate(Diagnostics d, @Nullable SecurityDraft global) {
        List<PluginDraft> all = new ArrayList<>(plugins);
        if (global != null) {
            all.addAll(0, global.plugins);
        }
        for (PluginDraft.Kind kind : List.of(PluginDraft.Kind.PASSWORD_FILE, PluginDraft.Kind.ACL_FILE)) {
            List<PluginDraft> bundled = all.stream().filter(p -> p.kind == kind).toList();
            bundled.stream()
                    .filter(p -> plugins.contains(p) && p.file == null && !p.badFile)
                    .forEach(p -> d.error(
                            p.line,
                            p.line.option() + " " + kind.library + ": needs plugin_opt_" + kind.option + " PATH"));
            boolean direct = (kind == PluginDraft.Kind.PASSWORD_FILE ? passwordFile : aclFile).isPresent();
            if (bundled.size() + (direct ? 1 : 0) > 1) {
                d.error(bundled.get(bundled.size() - 1).line.where() + ": " + kind.library + ": a second "
                        + kind.option + " for the same listeners (given by " + kind.option + " or another "
                        + kind.library + "); Drawbridge reads one");
            }
        }
    }

    /** Only called when no problem was found, so every plugin jar is known. */
    SecurityConfig build(boolean defaultAllowAnonymous, @Nullable SecurityDraft global) {
        List<PluginDraft> all = new ArrayList<>(plugins);
        if (global != null) {
            all.addAll(0, global.plugins); // Mosquitto runs global plugins first
        }
        List<PluginConfig> built = all.stream()
                .filter(p -> p.kind == PluginDraft.Kind.JAR)
                .map(p -> new PluginConfig(Objects.requireNonNull(p.jar), p.options))
                .toList();
        return new SecurityConfig(
                allowAnonymous == null ? defaultAllowAnonymous : allowAnonymous,
                passwordFile.or(() -> bundledFile(all, PluginDraft.Kind.PASSWORD_FILE)),
                aclFile.or(() -> bundledFile(all, PluginDraft.Kind.ACL_FILE)),
                built);
    }

    private static Optional<Path> bundledFile(List<PluginDraft> plugins, PluginDraft.Kind kind) {
        return plugins.stream()
                .filter(p -> p.kind == kind)
                .map(p -> p.file)
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** A {@code plugin} line and the {@code plugin_opt_NAME VALUE} lines that follow it. */
    static final class PluginDraft {

        /** What a plugin line names. */
        enum Kind {
            JAR("", ""),
            PASSWORD_FILE("mosquitto_password_file.so", "password_file"),
            ACL_FILE("mosquitto_acl_file.so", "acl_file"),
            DYNAMIC_SECURITY("mosquitto_dynamic_security.so", ""),
            OTHER_NATIVE("", "");

            final String library;
            /** The one {@code plugin_opt_} a bundled plugin takes. */
            final String option;

            Kind(String library, String option) {
                this.library = library;
                this.option = option;
            }

            /** By file name, whatever the directory: Mosquitto's packages put them in different places. */
            static Kind of(String path) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                for (Kind kind : values()) {
                    if (!kind.library.isEmpty() && kind.library.equals(name)) {
                        return kind;
                    }
                }
                return name.endsWith(".so") || name.contains(".so.") ? OTHER_NATIVE : JAR;
            }
        }

        private final ConfigLine line;
        private final Kind kind;
        private final @Nullable Path jar;
        private final Map<String, String> options = new LinkedHashMap<>();
        /** The file of a bundled plugin. */
        private @Nullable Path file;
        /** Its plugin_opt_ line was already reported as bad. */
        private boolean badFile;

        PluginDraft(ConfigLine line, Kind kind, @Nullable Path jar) {
            this.line = line;
            this.kind = kind;
            this.jar = jar;
        }

        void option(ConfigLine opt, Diagnostics d) {
            String name = opt.option().substring("plugin_opt_".length());
            if (name.isEmpty()) {
                d.error(opt, "plugin_opt_: expected plugin_opt_NAME VALUE, found no NAME");
            } else if (opt.value().isEmpty()) {
                d.error(opt, opt.option() + ": expected a value, found nothing");
            } else if (options.containsKey(name)) {
                d.error(opt, opt.option() + ": given twice for plugin '" + line.value() + "'");
            } else if (kind == Kind.PASSWORD_FILE || kind == Kind.ACL_FILE) {
                options.put(name, opt.value());
                if (!name.equals(kind.option)) {
                    d.error(
                            opt,
                            opt.option() + ": unknown option of " + kind.library + ", which takes only plugin_opt_"
                                    + kind.option);
                } else {
                    file = Values.readableFile(d, opt).orElse(null);
                    badFile = file == null;
                }
            } else {
                options.put(name, opt.value());
            }
        }
    }
}
