package dev.drawbridge.broker.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * What one logger of an in-process broker (and the loggers below it) logs while this is open; a level set for the
 * capture is restored on close.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final @Nullable Level previousLevel;
    private final boolean levelSet;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private LogCapture(String loggerName, @Nullable Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        this.levelSet = level != null;
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        if (level != null) {
            logger.setLevel(level);
        }
    }

    /** Every message at the level the test configuration lets through. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName, null);
    }

    /** Every message at {@code level} and above. */
    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture(loggerName, level);
    }

    /** Mosquitto's connection lines ({@code New client connected ...}, {@code Client ... disconnected.}). */
    public static LogCapture connections() {
        return of("dev.drawbridge.broker.connections");
    }

    /** The formatted messages. */
    public List<String> messages() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Every captured line: the formatted message, then the stack trace if there is one. */
    public List<String> lines() {
        return events.stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
    }

    /** Waits until a message matches. */
    public void await(Predicate<String> match, Duration timeout) {
        awaitLine(match, timeout);
    }

    /** Waits until a line matches, and returns the first that does. */
    public String awaitLine(Predicate<String> match, Duration timeout) {
        Awaitility.await("a log line")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> lines().stream().anyMatch(match));
        return lines().stream().filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        if (levelSet) {
            logger.setLevel(previousLevel);
        }
    }
}
