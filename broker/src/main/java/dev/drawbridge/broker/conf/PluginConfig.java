package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.util.Map;

/**
 * A {@code plugin PATH} line with the {@code plugin_opt_NAME VALUE} lines that follow it.
 *
 * @param jar the plugin's jar
 * @param options option names without the {@code plugin_opt_} prefix
 */
public record PluginConfig(Path jar, Map<String, String> options) {

    public PluginConfig {
        options = Map.copyOf(options);
    }
}
