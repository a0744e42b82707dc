package dev.drawbridge.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
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
        String pattern = config.timestamp() ? "%d{yyyy-MM-dd'T'HH:mm:ss}: %msg%n" : "%msg%n";
        List<LogConfig.Destination> destinations = config.destinations().isEmpty()
                ? List.of(LogConfig.Destination.of(LogConfig.Destination.Kind.STDERR))
                : config.destinations();
        for (LogConfig.Destination destination : destinations) {
            Appender<ILoggingEvent> appender = appender(context, destination, pattern);
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
            LoggerContext context, LogConfig.Destination destination, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        switch (destination.kind()) {
            case NONE:
                return null;
            case FILE: {
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setContext(context);
                file.setFile(destination.file().toString());
                file.setAppend(true);
                file.setEncoder(encoder);
                file.start();
                return file;
            }
            case STDOUT:
            case STDERR:
            default: {
                ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
                console.setContext(context);
                console.setTarget(
                        destination.kind() == LogConfig.Destination.Kind.STDOUT ? "System.out" : "System.err");
                console.setEncoder(encoder);
                console.start();
                return console;
            }
        }
    }
}
