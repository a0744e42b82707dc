package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.AclPlugin;
import dev.drawbridge.broker.conf.PluginConfig;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's plugin, loaded with {@link ServiceLoader} from its own jar in its own class loader (the SPI comes from the
 * broker), and initialised with its {@code plugin_opt_*} options.
 */
final class LoadedPlugin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedPlugin.class);

    private final String source;
    private final AclPlugin plugin;
    private final URLClassLoader loader;

    private LoadedPlugin(String source, AclPlugin plugin, URLClassLoader loader) {
        this.source = source;
        this.plugin = plugin;
        this.loader = loader;
    }

    static LoadedPlugin load(PluginConfig config) throws RulesException {
        String source = config.jar().toString();
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {config.jar().toUri().toURL()}, AclPlugin.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new RulesException(List.of(source + ": not a usable jar path: " + e.getMessage()));
        }
        try {
            List<ServiceLoader.Provider<AclPlugin>> providers = ServiceLoader.load(AclPlugin.class, loader).stream()
                    .filter(p -> p.type().getClassLoader() == loader)
                    .toList();
            if (providers.size() != 1) {
                throw new RulesException(List.of(source + ": expected exactly one " + AclPlugin.class.getName()
                        + " listed in META-INF/services, found " + providers.size()));
            }
            AclPlugin plugin = providers.get(0).get();
            plugin.init(config.options());
            LOG.info("Loaded plugin {} from {}.", plugin.name(), source);
            return new LoadedPlugin(source, plugin, loader);
        } catch (RulesException e) {
            closeQuietly(loader);
            throw e;
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            closeQuietly(loader);
            throw new RulesException(List.of(source + ": plugin failed to start: " + e));
        }
    }

    String name() {
        return plugin.name() + " (" + source + ")";
    }

    AclPlugin plugin() {
        return plugin;
    }

    @Override
    public void close() {
        try {
            plugin.close();
        } catch (RuntimeException e) {
            LOG.warn("Plugin {} failed to close: {}", name(), e.toString());
        }
        closeQuietly(loader);
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("Closing a plugin class loader failed", e);
        }
    }
}
