package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who may connect and what they may do: the options that are global, or per listener with
 * {@code per_listener_settings true}.
 *
 * @param allowAnonymous whether a client without a username may connect
 * @param passwordFile a {@code mosquitto_passwd} file
 * @param aclFile a Mosquitto ACL file
 * @param plugins ACL/auth plugins in file order
 */
public record SecurityConfig(
        boolean allowAnonymous, Optional<Path> passwordFile, Optional<Path> aclFile, List<PluginConfig> plugins) {

    public SecurityConfig {
        plugins = List.copyOf(plugins);
    }

    public SecurityConfig withAllowAnonymous(boolean allow) {
        return new SecurityConfig(allow, passwordFile, aclFile, plugins);
    }

    public static SecurityConfig anonymous() {
        return new SecurityConfig(true, Optional.empty(), Optional.empty(), List.of());
    }
}
