package dev.drawbridge.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.drawbridge.broker.conf.LogConfig;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** Turns the broker's {@link LogConfig} into logback appenders, replacing the built-in configuration. */
public final class LogSetup {

    private LogSetup() {}

    /**
     * @param verbose the command line's {@code -v}: every log type
     */
    public static void apply(LogConfig config, boolean verbose) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        boolean timestamped = config.timestamp();
        List<LogConfig.Destination> destinations = config.destinations().isEmpty()
                ? List.of(LogConfig.Destination.of(LogConfig.Destination.Kind.STDERR))
                : config.destinations();
        for (LogConfig.Destination destination : destinations) {
            Appender<ILoggingEvent> appender = appender(context, destination, timestamped);
            if (appender != null) {
                root.addAppender(appender);
            }
        }
        Level level = verbose ? Level.DEBUG : level(config.types());
        root.setLevel(level);
        // Library internals stay quiet unless the user asked for debug.
        Level libraries = level.isGreaterOrEqual(Level.INFO) ? Level.WARN : level;
        context.getLogger("io.netty").setLevel(libraries);
        context.getLogger("org.h2").setLevel(libraries);
    }

    /** The most detailed level any of the given Mosquitto log types asks for. */
    static Level level(Set<LogConfig.Type> types) {
        if (types.isEmpty()) {
            return Level.INFO;
        }
        if (types.contains(LogConfig.Type.ALL) || types.contains(LogConfig.Type.DEBUG)) {
            return Level.DEBUG;
        }
        if (types.contains(LogConfig.Type.INFORMATION)
                || types.contains(LogConfig.Type.NOTICE)
                || types.contains(LogConfig.Type.SUBSCRIBE)
                || types.contains(LogConfig.Type.UNSUBSCRIBE)
                || types.contains(LogConfig.Type.WEBSOCKETS)) {
            return Level.INFO;
        }
        if (types.contains(LogConfig.Type.WARNING)) {
            return Level.WARN;
        }
        if (types.contains(LogConfig.Type.ERROR)) {
            return Level.ERROR;
        }
        return Level.OFF;
    }

    private static @Nullable Appender<ILoggingEvent> appender(
            LoggerContext context, LogConfig.Destination destination, boolean timestamped) {
        switch (destination.kind()) {
            case NONE:
                return null;
            case FILE: {
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setContext(context);
                file.setFile(destination.file().toString());
                file.setAppend(true);
                file.setEncoder(encoder(context, timestamped));
                file.start();
                return file;
            }
            case STDOUT:
            case STDERR:
            default:
                return console(context, timestamped, destination.kind() == LogConfig.Destination.Kind.STDOUT);
        }
    }

    /** A started console appender writing {@link LogLineLayout} lines to standard output or standard error. */
    static Appender<ILoggingEvent> console(LoggerContext context, boolean timestamped, boolean stdout) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget(stdout ? "System.out" : "System.err");
        console.setEncoder(encoder(context, timestamped));
        console.start();
        return console;
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context, boolean timestamped) {
        LogLineLayout layout = new LogLineLayout(timestamped);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
