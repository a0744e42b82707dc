package dev.drawbridge.broker.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;

/** The formatted messages of one logger of an in-process broker, collected while this is open. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            messages.add(event.getFormattedMessage());
        }
    };

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Every message of {@code loggerName} (and the loggers below it) at the level the test configuration lets through. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Mosquitto's connection lines ({@code New client connected ...}, {@code Client ... disconnected.}). */
    public static LogCapture connections() {
        return new LogCapture("dev.drawbridge.broker.connections");
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits until a message matches. */
    public void await(Predicate<String> match, Duration timeout) {
        Awaitility.await("a log message")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> messages.stream().anyMatch(match));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
