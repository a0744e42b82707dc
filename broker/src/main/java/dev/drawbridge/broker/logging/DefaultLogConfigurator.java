package dev.drawbridge.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.jspecify.annotations.Nullable;

/**
 * The logging set-up used until the command line applies {@code log_dest}/{@code log_type}, and by embedders who bring
 * no configuration: INFO and above to standard error, library internals at WARN.
 *
 * <p>Built in code rather than read from a {@code logback.xml}: logback's XML configuration alone loads about 300
 * classes (its XML parser, model and actions) and took a fifth of the broker's start-up. A configuration the user or
 * an embedder brings ({@code -Dlogback.configurationFile}, {@code logback-test.xml} or {@code logback.xml} on the
 * class path) still wins: then this configurator stands aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {

    static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

    private final @Nullable ClassLoader resources;

    /** As logback's {@link java.util.ServiceLoader} makes it: looks for configuration files where this class is. */
    public DefaultLogConfigurator() {
        this(DefaultLogConfigurator.class.getClassLoader());
    }

    DefaultLogConfigurator(@Nullable ClassLoader resources) {
        this.resources = resources;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (broughtOwnConfiguration()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(LogSetup.console(context, /* timestamped= */ true, /* stdout= */ false));
        root.setLevel(Level.INFO);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.h2").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private boolean broughtOwnConfiguration() {
        if (System.getProperty(CONFIGURATION_FILE_PROPERTY) != null) {
            return true;
        }
        ClassLoader loader = resources;
        return loader != null
                && (loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null);
    }
}
